import {
  openCheckpoint,
  recordPeerCheckpoint,
  verifyConsistency,
  vkeyOf,
  type WitnessStatus,
} from '../ledger';
import type { Gateway } from '../runtime/context';
import type { Queryable } from '../store';
import { callPeer } from './peer-client';

/** By convention a city's ledger origin; also published in its signed metadata. */
export const ledgerOriginOf = (city: string) => `tongban.example/ledger/${city}`;

export type WitnessObserver = (
  peer: string,
  status: WitnessStatus | 'older',
  detail: string,
) => void;

/**
 * Witnessing: receipts and callbacks carry the sender's latest checkpoint. For each one we
 * verify the signature with the peer's keys, fetch a consistency proof from the last
 * checkpoint we hold from that peer, and record the outcome; a fork or a shrink raises an alarm
 * (peer_checkpoints.status, /readyz, metrics, dashboard). Runs off the request path, one peer at
 * a time, and a checkpoint older than the one we hold is checked for consistency, not flagged.
 */
export class PeerWitness {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly lastNote = new Map<string, string>();
  private readonly pending = new Map<string, string>();
  private readonly observers: WitnessObserver[] = [];

  constructor(private readonly gw: Gateway) {}

  onResult(o: WitnessObserver): void {
    this.observers.push(o);
  }

  /**
   * Queue a peer's checkpoint for witnessing; resolves when it (or a newer one that replaced
   * it while waiting) has been checked. At most one check runs and one waits per peer: under
   * load only the newest checkpoint of a peer is worth a consistency proof.
   */
  witness(peer: string, note: string | null | undefined): Promise<void> {
    if (!note || peer === this.gw.self.id || this.lastNote.get(peer) === note)
      return Promise.resolve();
    this.lastNote.set(peer, note);
    const waiting = this.pending.has(peer);
    this.pending.set(peer, note);
    if (waiting) return this.chains.get(peer) ?? Promise.resolve();
    const next = (this.chains.get(peer) ?? Promise.resolve()).then(() => {
      const latest = this.pending.get(peer);
      this.pending.delete(peer);
      if (!latest) return;
      return this.check(peer, latest).catch((e: unknown) =>
        this.gw.log.warn({ peer, err: (e as Error).message }, 'witnessing failed'),
      );
    });
    this.chains.set(peer, next);
    return next;
  }

  private emit(peer: string, status: WitnessStatus | 'older', detail: string): void {
    if (status === 'fork' || status === 'shrink')
      this.gw.log.error({ peer, status, detail }, 'LEDGER ALARM: peer ledger is not append-only');
    for (const o of this.observers) o(peer, status, detail);
  }

  private async proof(peer: string, from: number, to: number): Promise<Uint8Array[]> {
    const base = this.gw.cities.gatewayUrl(peer);
    if (!base || from === 0 || from === to) return [];
    const res = await callPeer(`${base}/ledger/v1/proofs/consistency?from=${from}&to=${to}`, {
      method: 'GET',
      timeoutMs: 5000,
      maxBytes: 64 * 1024,
    });
    if (res.status !== 200) throw new Error(`consistency proof from ${peer}: HTTP ${res.status}`);
    const body = JSON.parse(Buffer.from(res.body).toString('utf8')) as { hashes: string[] };
    return body.hashes.map((h) => Buffer.from(h, 'base64'));
  }

  private async check(peer: string, note: string): Promise<void> {
    const origin = ledgerOriginOf(peer);
    const vkeys = this.gw.keyring.keysOf(peer).map((k) => vkeyOf(origin, k));
    if (vkeys.length === 0) return;
    let cp;
    try {
      cp = openCheckpoint(note, vkeys, origin);
    } catch (e) {
      return this.emit(peer, 'bad_signature', (e as Error).message);
    }
    // Replicas of one city witness the same peer: the proof is fetched against the head we
    // read, and recorded only if that head is still the stored one (else read again).
    for (let attempt = 0; attempt < 3; attempt++) {
      const prev = await this.stored(this.gw.store, peer);
      if (prev && cp.size < prev.size) {
        // An older checkpoint (messages cross on the wire): fine if our newer one extends it.
        const proof = await this.proof(peer, cp.size, prev.size);
        const ok =
          cp.size === 0 ||
          verifyConsistency({
            size1: cp.size,
            size2: prev.size,
            root1: cp.root,
            root2: prev.root,
            proof,
          });
        if (ok) {
          return this.emit(
            peer,
            'older',
            `size ${cp.size} is older than the ${prev.size} we hold and consistent with it`,
          );
        }
      }
      const proof = prev && cp.size > prev.size ? await this.proof(peer, prev.size, cp.size) : [];
      const result = await this.gw.store.tx(async (q) => {
        const now = await this.stored(q, peer, true);
        if ((now?.size ?? -1) !== (prev?.size ?? -1)) return undefined;
        return recordPeerCheckpoint(q, peer, { vkey: vkeys, origin, note, proof });
      });
      if (result) return this.emit(peer, result.status, result.detail);
    }
  }

  private async stored(q: Queryable, peer: string, lock = false) {
    const r = await q.query<{ size: number; root: Uint8Array }>(
      `SELECT size, root FROM peer_checkpoints WHERE peer = $1${lock ? ' FOR UPDATE' : ''}`,
      [peer],
    );
    return r.rows[0];
  }
}
