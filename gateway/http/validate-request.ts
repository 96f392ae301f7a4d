import type { RequestHandler } from 'express';
import type { ValidateFunction } from 'ajv';
import { TongbanError } from '../errors';
import { contracts } from './contracts';

interface ParamCheck {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  validate: ValidateFunction;
}

/**
 * Middleware validating a request's path and query parameters and JSON body against its
 * operation in the contract: the contract is the single source of truth for shapes.
 */
export function validateRequest(operationId: string): RequestHandler {
  const reg = contracts();
  const info = reg.operation(operationId);
  const checks: ParamCheck[] = (info.op.parameters ?? []).map((p, i) => {
    const at = p.$ref
      ? reg.resolve(info.contract, p.$ref)
      : { contract: info.contract, pointer: `${info.pointer}/parameters/${i}`, value: p };
    const def = at.value as { name: string; in: ParamCheck['in']; required?: boolean };
    return {
      name: def.name,
      in: def.in,
      required: def.required === true,
      validate: reg.validator(at.contract, `${at.pointer}/schema`),
    };
  });
  const hasJsonBody = JSON.stringify(info.op.requestBody ?? {}).includes('application/json');
  const bodyV = hasJsonBody
    ? reg.validator(info.contract, `${info.pointer}/requestBody/content/application~1json/schema`)
    : undefined;

  return (req, _res, next) => {
    for (const c of checks) {
      if (c.in === 'header') continue; // signature headers are checked by the exchange pipeline
      const source = (c.in === 'path' ? req.params : req.query) as Record<string, unknown>;
      const value = source[c.name];
      const pointer = `/${c.in}/${c.name}`;
      if (value === undefined) {
        if (c.required)
          throw new TongbanError('invalid_parameter', `${c.in} parameter ${c.name} is required`, {
            pointer,
          });
        continue;
      }
      if (Array.isArray(value)) {
        throw new TongbanError(
          'invalid_parameter',
          `${c.in} parameter ${c.name} must be given once`,
          { pointer },
        );
      }
      if (!c.validate(value)) {
        throw new TongbanError(
          'invalid_parameter',
          `${c.in} parameter ${c.name} is invalid: ${c.validate.errors?.[0]?.message ?? ''}`,
          {
            pointer,
          },
        );
      }
    }
    if (bodyV) {
      if (req.body === undefined)
        throw new TongbanError('unsupported_media_type', 'expected an application/json body');
      reg.assertValid(bodyV, req.body, '', 'request body');
    }
    next();
  };
}
