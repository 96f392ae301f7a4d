import {
  onDelegationCreate,
  onMaterials,
  onWithdrawal,
} from '../../gateway/cases/inbound-handlers';
import type { DelegationStatus } from '../../gateway/cases/transitions';
import type {
  DelegationCreateBody,
  MaterialsSupplyBody,
  PenaltyRecordWire,
  ReceiptBody,
  SyncTarget,
  WithdrawalBody,
} from '../../gateway/cases/types';
import {
  receiveSigned,
  type InboundHandler,
  type InboundSpec,
} from '../../gateway/exchange/inbound';
import type { Gateway } from '../../gateway/runtime/context';
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
 * The penalising side of a city that runs Tongban with officers deciding by hand: a delegation
 * lands in this gateway's inbox (inbox_items), officers act on it in the dashboard, and every
 * status change goes back as a signed callback (push). The signed message is received exactly
 * as the exchange route receives it (verified, ledgered, receipted), only in process.
 */
export class ManualAdapter implements CityAdapter {
  readonly kind = 'manual' as const;
  readonly statusMode = 'push' as const;
  readonly city: string;

  constructor(private readonly gw: Gateway) {
    this.city = gw.self.id;
  }

  async deliver(msg: Outgoing<DelegationCreateBody>): Promise<Answered<Delivered>> {
    const r = await this.receive(
      'deliver',
      msg,
      { expectedType: 'delegation.create', bodySchema: 'DelegationCreate' },
      onDelegationCreate(this.gw),
    );
    return { value: { receivedAt: r.receipt.receivedAt }, evidence: r.evidence };
  }

  async supplyMaterials(msg: Outgoing<MaterialsSupplyBody>): Promise<Answered<Delivered>> {
    const spec = {
      expectedType: 'delegation.materials',
      bodySchema: 'MaterialsSupply',
      pathDelegationId: msg.envelope.body.delegationId,
    } as const;
    const r = await this.receive('materials', msg, spec, onMaterials(this.gw));
    return { value: { receivedAt: r.receipt.receivedAt }, evidence: r.evidence };
  }

  async withdraw(msg: Outgoing<WithdrawalBody>): Promise<Answered<Withdrawn>> {
    const spec = {
      expectedType: 'delegation.withdrawal',
      bodySchema: 'Withdrawal',
      pathDelegationId: msg.envelope.body.delegationId,
    } as const;
    const r = await this.receive('withdraw', msg, spec, onWithdrawal(this.gw));
    const res = (r.receipt.result ?? {}) as { applied?: boolean; status?: DelegationStatus };
    return {
      value: { applied: res.applied !== false, ...(res.status ? { status: res.status } : {}) },
      evidence: r.evidence,
    };
  }

  async status(delegationId: string): Promise<Answered<StatusReport>> {
    const r = await this.gw.store.query<{
      status: DelegationStatus;
      seq: number;
      reason: string | null;
      materials_requested: string[];
      sync_targets: SyncTarget[];
      updated_at: Date;
    }>(
      'SELECT status, seq, reason, materials_requested, sync_targets, updated_at FROM inbox_items WHERE id = $1',
      [delegationId],
    );
    const row = r.rows[0];
    const evidence = this.evidence(
      'status',
      'SELECT',
      `inbox_items/${delegationId}`,
      JSON.stringify(row ?? null),
    );
    if (!row)
      throw new AdapterError(
        'not_found',
        `No delegation ${delegationId} in the inbox of ${this.city}`,
        { retryable: false, evidence },
      );
    return {
      value: {
        delegationId,
        status: row.status,
        seq: row.seq,
        at: new Date(row.updated_at).toISOString(),
        ...(row.reason ? { reason: row.reason } : {}),
        ...(row.materials_requested.length ? { materialsRequested: row.materials_requested } : {}),
        ...(row.sync_targets.length ? { syncTargets: row.sync_targets } : {}),
      },
      evidence,
    };
  }

  async lookupPenalties(uscc: string): Promise<Answered<PenaltyRecordWire[]>> {
    const r = await this.gw.store.query<{ record: PenaltyRecordWire }>(
      'SELECT record FROM penalty_records WHERE uscc = $1 ORDER BY authority, decision_no_norm',
      [uscc],
    );
    const records = r.rows.map((x) => x.record);
    return {
      value: records,
      evidence: this.evidence(
        'penalties',
        'SELECT',
        `penalty_records?uscc=${uscc}`,
        JSON.stringify(records),
      ),
    };
  }

  private async receive(
    op: Operation,
    msg: Outgoing<unknown>,
    spec: InboundSpec,
    handler: InboundHandler,
  ) {
    let bytes: Uint8Array;
    try {
      bytes = await receiveSigned(this.gw, msg.bytes, spec, handler);
    } catch (e) {
      throw asAdapterError(e);
    }
    const text = Buffer.from(bytes).toString('utf8');
    const env = JSON.parse(
      Buffer.from((JSON.parse(text) as { payload: string }).payload, 'base64url').toString('utf8'),
    ) as { body: ReceiptBody };
    return {
      receipt: env.body,
      evidence: this.evidence(op, 'RECEIVE', `inbox/${spec.expectedType}`, text, msg.envelope.body),
    };
  }

  private evidence(
    operation: Operation,
    method: string,
    url: string,
    body: string,
    request?: unknown,
  ): Evidence {
    return {
      adapter: 'manual',
      city: this.city,
      operation,
      request: { method, url, ...(request !== undefined ? { body: request } : {}) },
      response: { status: 200, body },
    };
  }
}
