import { Writable } from 'node:stream';
import { createLogger, maskIdNumbers } from '../../../gateway/http/logger';
import { TongbanError, toProblem } from '../../../gateway/errors';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}

describe('logs never carry personal ID numbers, tokens or keys', () => {
  it('redacts known fields', () => {
    const { log, lines } = capture();
    log.info(
      {
        applicant: { idNumber: '110101199003074514' },
        req: { headers: { authorization: 'Bearer abc.def.ghi' } },
        key: { d: 'secret-seed' },
      },
      'filed',
    );
    const out = lines.join('');
    expect(out).not.toContain('110101199003074514');
    expect(out).not.toContain('abc.def.ghi');
    expect(out).not.toContain('secret-seed');
    expect(out).toContain('[redacted]');
  });

  it('masks ID numbers inside free text', () => {
    const { log, lines } = capture();
    log.info('applicant 110101199003074514 called');
    expect(lines.join('')).not.toContain('110101199003074514');
    expect(maskIdNumbers('x 11010119900307451X y')).toBe('x 110***********1X y');
  });
});

describe('problem documents', () => {
  it('render a TongbanError with its code, status and pointer', () => {
    const p = toProblem(
      new TongbanError('invalid_uscc', 'bad code', { pointer: '/company/uscc' }),
      '/api/v1/cases',
    );
    expect(p).toEqual({
      type: 'https://tongban.example/problems/invalid_uscc',
      title: 'invalid uscc',
      status: 400,
      detail: 'bad code',
      code: 'invalid_uscc',
      instance: '/api/v1/cases',
      pointer: '/company/uscc',
    });
  });
  it('never leak the message of an unexpected error', () => {
    const p = toProblem(new Error('password=hunter2 at db.ts:12'));
    expect(p).toMatchObject({ status: 500, code: 'internal', detail: 'Internal error' });
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });
});
