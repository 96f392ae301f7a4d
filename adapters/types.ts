import type {
  DelegationCreateBody,
  MaterialsSupplyBody,
  PenaltyRecordWire,
  SyncTarget,
  WithdrawalBody,
} from '../gateway/cases/types';
import type { DelegationStatus } from '../gateway/cases/transitions';
import type { AdapterKind } from '../gateway/config/city-config';
import type { Envelope } from '../gateway/signing';

/**
 * How a registration gateway reaches a penalising city, whatever that city runs. One small
 * interface, one module per kind (adapters/gateway, adapters/rest, adapters/manual), one
 * contract test suite every kind passes (tests/integration/adapters/contract.test.ts).
 *
 * Requests are the registration gateway's own signed messages (what the outbox holds and the
 * ledger already recorded); each kind carries them its way. Every answer comes with the
 * `evidence` of what the far side said, which the caller records in its ledger.
 */
export interface CityAdapter {
  readonly kind: AdapterKind;
  /** The penalising city this adapter reaches. */
  readonly city: string;
  /** push: the city sends signed callbacks; pull: the gateway polls `status`. */
  readonly statusMode: 'push' | 'pull';

  /** Hand over a new delegation. Idempotent: the same message again is not a second case. */
  deliver(msg: Outgoing<DelegationCreateBody>): Promise<Answered<Delivered>>;
  /** The current status of a delegation at the city (`not_found` when it has none). */
  status(delegationId: string): Promise<Answered<StatusReport>>;
  /** Answer the city's materials request once; review resumes there. */
  supplyMaterials(msg: Outgoing<MaterialsSupplyBody>): Promise<Answered<Delivered>>;
  /** The company withdrew; a decided delegation stays as it is and says so (`applied: false`). */
  withdraw(msg: Outgoing<WithdrawalBody>): Promise<Answered<Withdrawn>>;
  /** The penalty records the city holds for a company (contract PenaltyRecord shape). */
  lookupPenalties(uscc: string): Promise<Answered<PenaltyRecordWire[]>>;
}

/** A signed outgoing message: the envelope and its exact signed bytes. */
export interface Outgoing<B> {
  envelope: Envelope<B>;
  bytes: Uint8Array;
}

export interface Delivered {
  /** When the city took it (its receipt's time, or the gateway's clock for platforms). */
  receivedAt: string;
}

export interface Withdrawn {
  applied: boolean;
  status?: DelegationStatus;
}

/** A delegation's status at the city, in contract terms (the shape of a status callback). */
export interface StatusReport {
  delegationId: string;
  status: DelegationStatus;
  /** The city's own sequence number; absent when the city has none (the gateway counts). */
  seq?: number;
  at?: string;
  reason?: string;
  materialsRequested?: string[];
  syncTargets?: SyncTarget[];
}

export type Operation = 'deliver' | 'status' | 'materials' | 'withdraw' | 'penalties';

/** What the far side answered, exactly, for the ledger (adapters/ledger-entry.ts). */
export interface Evidence {
  adapter: AdapterKind;
  city: string;
  operation: Operation;
  request: { method: string; url: string; body?: unknown };
  response: { status: number; date?: string; body: string };
}

export interface Answered<T> {
  value: T;
  evidence: Evidence;
}
