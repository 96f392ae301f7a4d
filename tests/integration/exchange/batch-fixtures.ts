import { randomUUID } from 'node:crypto';
import { contracts } from '../../../gateway/http/contracts';
import type { Envelope } from '../../../gateway/signing';
import { decisionNo, HANGZHOU, HARBIN, record } from '../../chaos/fixtures';

/** What the batch tests (batch.test.ts, batch-receipt.test.ts) send: Harbin → Hangzhou. */
export const DELEGATIONS = '/exchange/v1/delegations';
export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
export const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));

/** An unsigned `delegation.create` from Harbin to Hangzhou for Hangzhou's decision no. `n`. */
export const delegationEnvelope = (n: number): Envelope => ({
  id: randomUUID(),
  type: 'delegation.create',
  from: HARBIN,
  to: HANGZHOU,
  contract: contracts().refs.exchange,
  issuedAt: new Date().toISOString(),
  caseRef: 'case-1',
  body: {
    delegationId: randomUUID(),
    caseId: randomUUID(),
    registrationCity: HARBIN,
    company: { uscc: '91350100M000100Y43', name: '示例物流有限公司' },
    records: [record(HANGZHOU, decisionNo(HANGZHOU, n))],
    materials: [],
    submittedAt: new Date().toISOString(),
  },
});
