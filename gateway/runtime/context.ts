import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../auth/authenticate';
import type { CityConfig } from '../config/city-config';
import type { CityDirectory } from '../config/city-directory';
import type { Settings } from '../config/settings';
import type { OutboxJob } from '../delivery/claim';
import type { Keyring } from '../exchange/keyring';
import type { ContractRegistry } from '../http/contracts';
import type { CityKey } from '../signing';
import type { Store } from '../store';

/** Everything a running gateway's modules share; built once at start (gateway/runtime/start.ts). */
export interface Gateway {
  readonly settings: Readonly<Settings>;
  readonly self: Readonly<CityConfig>;
  readonly cities: CityDirectory;
  readonly store: Store;
  readonly key: CityKey;
  readonly keyring: Keyring;
  readonly contracts: ContractRegistry;
  readonly log: Logger;
  readonly verifyToken: TokenVerifier;
  /** The ledger's C2SP origin line, e.g. `tongban.example/ledger/230100`. */
  readonly ledgerOrigin: string;
  /** Clock; tests inject a fixed or shifted one. */
  now(): Date;
  /** A city's public key by kid: pinned, then fetched key sets (refetched on an unknown kid). */
  resolveKey(city: string, kid: string): Promise<KeyObject | undefined>;
  /** Witness a peer's checkpoint (from a receipt or callback), off the request path. */
  witness(peer: string, note: string | null | undefined): void;
  /** Nudge the delivery worker after committing outbox rows. */
  kickDelivery(): void;
  /**
   * Direct hand-off to this process's delivery worker (delivery/worker.ts): a message queued for
   * a healthy peer is written already claimed by the worker and given to it after COMMIT, so
   * its first attempt needs no claim. Undefined lease: write it pending as usual.
   */
  readonly handoff: {
    leaseFor(peer: string): { worker: string; leaseMs: number } | undefined;
    take(jobs: OutboxJob[]): void;
  };
  /** Nudge the checkpointer after appending ledger entries. */
  kickCheckpoint(): void;
}
