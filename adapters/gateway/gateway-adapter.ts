import type { DelegationStatus } from '../../gateway/cases/transitions';
import type {
  DelegationCreateBody,
  DelegationViewBody,
  MaterialsSupplyBody,
  PenaltyAnswerBody,
  PenaltyRecordWire,
  ReceiptBody,
  WithdrawalBody,
} from '../../gateway/cases/types';
import { isRetryable, retryAfterMs } from '../../gateway/delivery/backoff';
import { newEnvelope, pathFor } from '../../gateway/exchange/outbound';
import { callPeer, problemDetail, type PeerResponse } from '../../gateway/exchange/peer-client';
import type { Gateway } from '../../gateway/runtime/context';
import {
  SIGNATURE_HEADER,
  sha256Digest,
  signCompact,
  signEnvelope,
  verifyEnvelope,
  type MessageType,
} from '../../gateway/signing';
import { AdapterError, asAdapterError } from '../errors';
import type {
  Answered,
  CityAdapter,
  Delivered,
  Evidence,
  Operation,
  Outgoing,
  StatusReport,
  Withdrawn,
} from '../types';

/**
 * A city that runs the exchange contract (Tongban or another implementation): signed envelopes
 * over HTTP to its gateway URL, signed receipts and answers back, status changes pushed to us
 * as signed callbacks.
 */
export class GatewayAdapter implements CityAdapter {
  readonly kind = 'gateway' as const;
  readonly statusMode = 'push' as const;

  constructor(
    private readonly gw: Gateway,
    readonly city: string,
  ) {}

  private base(): string {
    const url = this.gw.cities.gatewayUrl(this.city);
    if (!url)
      throw new AdapterError('config_invalid', `city ${this.city} has no gateway URL`, {
        retryable: false,
      });
    return url;
  }

  deliver(msg: Outgoing<DelegationCreateBody>): Promise<Answered<Delivered>> {
    return this.post('deliver', msg).then(({ receipt, evidence }) => ({
      value: { receivedAt: receipt.receivedAt },
      evidence,
    }));
  }

  supplyMaterials(msg: Outgoing<MaterialsSupplyBody>): Promise<Answered<Delivered>> {
    return this.post('materials', msg).then(({ receipt, evidence }) => ({
      value: { receivedAt: receipt.receivedAt },
      evidence,
    }));
  }

  async withdraw(msg: Outgoing<WithdrawalBody>): Promise<Answered<Withdrawn>> {
    const { receipt, evidence } = await this.post('withdraw', msg);
    const r = (receipt.result ?? {}) as { applied?: boolean; status?: DelegationStatus };
    return {
      value: { applied: r.applied !== false, ...(r.status ? { status: r.status } : {}) },
      evidence,
    };
  }

  async status(delegationId: string): Promise<Answered<StatusReport>> {
    const env = newEnvelope(this.gw, 'delegation.status', this.city, { delegationId });
    const url = `${this.base()}/exchange/v1/delegations/${encodeURIComponent(delegationId)}`;
    const res = await this.call(url, {
      method: 'GET',
      headers: { [SIGNATURE_HEADER]: signCompact(env, this.gw.key) },
    });
    const evidence = this.evidence('status', 'GET', url, env.body, res);
    const view = (await this.verify(res, 'delegation.view', evidence)).body as DelegationViewBody;
    return {
      value: {
        delegationId,
        status: view.status,
        seq: view.seq,
        ...(view.updatedAt ? { at: view.updatedAt } : {}),
        ...(view.reason ? { reason: view.reason } : {}),
        ...(view.materialsRequested ? { materialsRequested: view.materialsRequested } : {}),
      },
      evidence,
    };
  }

  async lookupPenalties(uscc: string): Promise<Answered<PenaltyRecordWire[]>> {
    const env = newEnvelope(this.gw, 'penalty.query', this.city, { uscc });
    const signed = signEnvelope(env, this.gw.key);
    const url = this.base() + pathFor('penalty.query');
    const res = await this.call(url, { method: 'POST', body: signed.bytes });
    const evidence = this.evidence('penalties', 'POST', url, env.body, res);
    const answer = (await this.verify(res, 'penalty.answer', evidence)).body as PenaltyAnswerBody;
    return { value: answer.records, evidence };
  }

  private async post(
    op: Operation,
    msg: Outgoing<unknown>,
  ): Promise<{ receipt: ReceiptBody; evidence: Evidence }> {
    const id = (msg.envelope.body as { delegationId?: string }).delegationId;
    const url = this.base() + pathFor(msg.envelope.type, id);
    const res = await this.call(url, { method: 'POST', body: msg.bytes });
    const evidence = this.evidence(op, 'POST', url, msg.envelope.body, res);
    const receipt = (await this.verify(res, 'receipt', evidence)).body as ReceiptBody;
    if (
      receipt.messageId !== msg.envelope.id ||
      receipt.messageDigest !== sha256Digest(msg.bytes)
    ) {
      throw new AdapterError(
        'peer_refused',
        `city ${this.city}: the receipt does not acknowledge the message sent`,
        { retryable: true, evidence },
      );
    }
    return { receipt, evidence };
  }

  private async call(
    url: string,
    o: { method: 'GET' | 'POST'; body?: Uint8Array; headers?: Record<string, string> },
  ): Promise<PeerResponse> {
    try {
      return await callPeer(url, {
        ...o,
        timeoutMs: this.gw.settings.delivery.timeoutMs,
        maxBytes: this.gw.settings.bodyLimitBytes,
      });
    } catch (e) {
      throw asAdapterError(e);
    }
  }

  private evidence(
    operation: Operation,
    method: string,
    url: string,
    body: unknown,
    res: PeerResponse,
  ): Evidence {
    const date = res.headers.date;
    return {
      adapter: 'gateway',
      city: this.city,
      operation,
      request: { method, url, body },
      response: {
        status: res.status,
        ...(typeof date === 'string' ? { date } : {}),
        body: Buffer.from(res.body).toString('utf8'),
      },
    };
  }

  private async verify(res: PeerResponse, expectedType: MessageType, evidence: Evidence) {
    if (res.status !== 200) {
      const detail = problemDetail(res);
      const code =
        res.status === 404
          ? 'not_found'
          : isRetryable(res.status)
            ? 'peer_unreachable'
            : 'peer_refused';
      throw new AdapterError(code, `city ${this.city}: ${detail}`, {
        retryable: isRetryable(res.status),
        httpStatus: res.status,
        evidence,
        retryAfterMs: retryAfterMs(res.headers['retry-after'], Date.now()),
      });
    }
    const gw = this.gw;
    try {
      const v = await verifyEnvelope(res.body, {
        self: gw.self.id,
        expectedType,
        contract: gw.contracts.refs.exchange,
        now: gw.now(),
        maxSkewSeconds: gw.settings.clockSkewSeconds,
        maxBytes: gw.settings.bodyLimitBytes,
        resolveKey: (c, kid) => gw.keyring.resolve(c, kid),
        knownCity: (c) => c === this.city,
      });
      return v.envelope;
    } catch (e) {
      throw new AdapterError(
        'peer_refused',
        `city ${this.city}: bad signed answer: ${(e as Error).message}`,
        { retryable: true, evidence, cause: e },
      );
    }
  }
}
