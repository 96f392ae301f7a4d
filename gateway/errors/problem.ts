import { statusOf, type ErrorCode } from './codes';
import { TongbanError } from './tongban-error';

/** RFC 9457 problem details, as rendered on the wire. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  pointer?: string;
  errors?: { pointer: string; detail: string }[];
  [extra: string]: unknown;
}

export const PROBLEM_TYPE_BASE = 'https://tongban.example/problems/';

/** Turn any thrown value into a problem document. Unknown errors never leak their message. */
export function toProblem(err: unknown, instance?: string): Problem {
  const e =
    err instanceof TongbanError
      ? err
      : new TongbanError('internal', 'Internal error', {}, { cause: err });
  const status = statusOf(e.code);
  const p: Problem = {
    type: PROBLEM_TYPE_BASE + e.code,
    title: e.code.replace(/_/g, ' '),
    status,
    detail: e.message,
    code: e.code,
  };
  if (instance) p.instance = instance;
  if (e.details.pointer !== undefined) p.pointer = e.details.pointer;
  if (e.details.errors) p.errors = e.details.errors;
  if (e.details.extra) Object.assign(p, e.details.extra);
  return p;
}
