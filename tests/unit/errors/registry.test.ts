import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ERROR_CODES, ERROR_STATUS } from '../../../gateway/errors';

const root = join(__dirname, '..', '..', '..');

/** Every error code appears in the contract and the docs, and nothing else does. */
describe('error code registry', () => {
  const contract = parse(readFileSync(join(root, 'contracts', 'exchange.v1.yaml'), 'utf8')) as {
    components: { schemas: { ErrorCode: { enum: string[] } } };
  };
  const docRows = [
    ...readFileSync(join(root, 'docs', 'errors.md'), 'utf8').matchAll(
      /^\| `([a-z_]+)` \| (\d{3}) \|/gm,
    ),
  ];

  it('lists the same codes in code, contract and docs', () => {
    expect([...contract.components.schemas.ErrorCode.enum].sort()).toEqual([...ERROR_CODES].sort());
    expect(docRows.map((m) => m[1]).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('documents the HTTP status each code is answered with', () => {
    for (const m of docRows)
      expect(Number(m[2])).toBe(ERROR_STATUS[m[1] as keyof typeof ERROR_STATUS]);
  });

  it('maps every client mistake to a 4xx and never to 500', () => {
    const clientCodes = ERROR_CODES.filter(
      (c) =>
        ![
          'ledger_inconsistent',
          'peer_unreachable',
          'peer_refused',
          'not_ready',
          'config_invalid',
          'internal',
        ].includes(c),
    );
    for (const c of clientCodes) expect(ERROR_STATUS[c]).toBeLessThan(500);
  });
});
