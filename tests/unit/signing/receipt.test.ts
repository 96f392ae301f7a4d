import { buildReceipt, sha256Digest, signEnvelope, verifyEnvelope } from '../../../gateway/signing';
import {
  CONTRACT,
  HANGZHOU,
  HARBIN,
  NOW,
  context,
  envelope,
  hangzhouKey,
  harbinKey,
  refusal,
} from './fixtures';

describe('buildReceipt', () => {
  const message = envelope();
  const bytes = signEnvelope(message, harbinKey).bytes;
  const input = {
    message,
    messageDigest: sha256Digest(bytes),
    ledgerIndex: 41,
    checkpoint: 'tongban.example/330100\n42\nAAAA\n',
    receivedAt: NOW,
    self: HANGZHOU,
    contract: CONTRACT,
    id: '3f0b9a52-1c8e-4f0a-9d4e-6a1b2c3d4e5f',
    issuedAt: NOW,
  };

  it('answers the sender with type receipt, caseRef copied and the message named by digest', () => {
    expect(buildReceipt({ ...input, result: { accepted: true } })).toEqual({
      id: input.id,
      type: 'receipt',
      from: HANGZHOU,
      to: HARBIN,
      contract: CONTRACT,
      issuedAt: NOW.toISOString(),
      caseRef: message.caseRef,
      body: {
        messageId: message.id,
        messageType: 'delegation.create',
        messageDigest: sha256Digest(bytes),
        ledgerIndex: 41,
        checkpoint: input.checkpoint,
        receivedAt: NOW.toISOString(),
        result: { accepted: true },
      },
    });
  });

  it('leaves out caseRef and result when there are none, and allows a null ledger index', () => {
    const receipt = buildReceipt({
      ...input,
      message: envelope({ caseRef: undefined }),
      ledgerIndex: null,
      checkpoint: null,
    });
    expect('caseRef' in receipt).toBe(false);
    expect('result' in receipt.body).toBe(false);
    expect(receipt.body.ledgerIndex).toBeNull();
  });

  it('defaults to a fresh UUID and the current time', () => {
    const rest = { ...input, id: undefined, issuedAt: undefined };
    const a = buildReceipt(rest);
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).not.toBe(buildReceipt(rest).id);
    expect(Math.abs(Date.parse(a.issuedAt) - Date.now())).toBeLessThan(5000);
  });

  it('signs and verifies at the original sender', async () => {
    const receipt = signEnvelope(buildReceipt(input), hangzhouKey);
    const ctx = context({ [HANGZHOU]: [hangzhouKey] }, { self: HARBIN, expectedType: 'receipt' });
    const verified = await verifyEnvelope(receipt.bytes, ctx);
    expect(verified.envelope.body).toMatchObject({ messageId: message.id, ledgerIndex: 41 });
  });

  describe('when the inputs are not what a receipt can carry', () => {
    it.each([
      ['a digest that is not sha256:<hex>', { messageDigest: 'abc' }],
      ['a negative ledger index', { ledgerIndex: -1 }],
      ['a fractional ledger index', { ledgerIndex: 1.5 }],
    ])('refuses %s', async (_why, bad) => {
      expect((await refusal(() => buildReceipt({ ...input, ...bad }))).code).toBe('internal');
    });
  });
});
