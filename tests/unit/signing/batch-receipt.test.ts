import { contracts } from '../../../gateway/http/contracts';
import {
  acknowledgementOf,
  buildBatchReceipt,
  buildReceipt,
  sha256Digest,
  signEnvelope,
  verifyEnvelope,
} from '../../../gateway/signing';
import {
  CONTRACT,
  HANGZHOU,
  HARBIN,
  KUNMING,
  NOW,
  context,
  envelope,
  hangzhouKey,
  harbinKey,
  refusal,
} from './fixtures';

describe('buildBatchReceipt and acknowledgementOf', () => {
  const m1 = envelope({ id: '11111111-1111-4111-8111-111111111111' });
  const m2 = envelope({ id: '22222222-2222-4222-8222-222222222222', caseRef: 'C-2' });
  const d1 = sha256Digest(signEnvelope(m1, harbinKey).bytes);
  const d2 = sha256Digest(signEnvelope(m2, harbinKey).bytes);
  const input = {
    entries: [
      { message: m1, messageDigest: d1, ledgerIndex: 7, result: { status: 'delivered' } },
      { message: m2, messageDigest: d2, ledgerIndex: 8 },
    ],
    checkpoint: 'tongban.example/330100\n9\nAAAA\n',
    receivedAt: NOW,
    self: HANGZHOU,
    contract: CONTRACT,
    id: '3f0b9a52-1c8e-4f0a-9d4e-6a1b2c3d4e5f',
    issuedAt: NOW,
  };

  it('acknowledges every message of one sender in one envelope, without a caseRef', () => {
    const r = buildBatchReceipt(input);
    expect(r).toEqual({
      id: input.id,
      type: 'receipt.batch',
      from: HANGZHOU,
      to: HARBIN,
      contract: CONTRACT,
      issuedAt: NOW.toISOString(),
      body: {
        receipts: [
          {
            messageId: m1.id,
            messageType: 'delegation.create',
            messageDigest: d1,
            ledgerIndex: 7,
            result: { status: 'delivered' },
          },
          { messageId: m2.id, messageType: 'delegation.create', messageDigest: d2, ledgerIndex: 8 },
        ],
        checkpoint: input.checkpoint,
        receivedAt: NOW.toISOString(),
      },
    });
    // what the sender checks the body against: the contract's BatchReceipt schema
    expect(contracts().schemaValidator('exchange', 'BatchReceipt')(r.body)).toBe(true);
  });

  it("reads one message's acknowledgement as a single receipt body would say it", () => {
    const r = buildBatchReceipt(input);
    const single = buildReceipt({
      message: m1,
      messageDigest: d1,
      ledgerIndex: 7,
      checkpoint: input.checkpoint,
      receivedAt: NOW,
      result: { status: 'delivered' },
      self: HANGZHOU,
      contract: CONTRACT,
    });
    expect(acknowledgementOf(r, m1.id)).toEqual(single.body);
    expect(acknowledgementOf(single, m1.id)).toEqual(single.body);
    expect(acknowledgementOf(r, m2.id)).toMatchObject({ messageDigest: d2, ledgerIndex: 8 });
    expect('result' in acknowledgementOf(r, m2.id)!).toBe(false);
    // a message it does not list, a single receipt for another message, not a receipt at all
    expect(acknowledgementOf(r, 'another')).toBeUndefined();
    expect(acknowledgementOf(single, m2.id)).toBeUndefined();
    expect(acknowledgementOf(m1, m1.id)).toBeUndefined();
  });

  it('signs and verifies at the original sender as a receipt type', async () => {
    const signed = signEnvelope(buildBatchReceipt(input), hangzhouKey);
    const ctx = context(
      { [HANGZHOU]: [hangzhouKey] },
      { self: HARBIN, expectedType: ['receipt', 'receipt.batch'] },
    );
    const v = await verifyEnvelope(signed.bytes, ctx);
    expect(v.envelope.type).toBe('receipt.batch');
    expect(acknowledgementOf(v.envelope, m2.id)?.messageDigest).toBe(d2);
  });

  describe('when the inputs are not what a batch receipt can carry', () => {
    const other = envelope({ id: '33333333-3333-4333-8333-333333333333', from: KUNMING });
    it.each([
      ['no message', { entries: [] }],
      [
        'messages of two senders',
        { entries: [...input.entries, { message: other, messageDigest: d1, ledgerIndex: 1 }] },
      ],
      [
        'a digest that is not sha256:<hex>',
        { entries: [{ message: m1, messageDigest: 'abc', ledgerIndex: 1 }] },
      ],
      [
        'a negative ledger index',
        { entries: [{ message: m1, messageDigest: d1, ledgerIndex: -1 }] },
      ],
    ])('refuses %s', async (_why, bad) => {
      expect((await refusal(() => buildBatchReceipt({ ...input, ...bad }))).code).toBe('internal');
    });
  });
});
