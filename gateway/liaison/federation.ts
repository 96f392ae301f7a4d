import { latestCheckpoint, peerWitnessStatus, treeHead } from '../ledger';
import type { Gateway } from '../runtime/context';

/** Cities, this gateway's ledger head and checkpoint, and each peer's witness status. */
export async function federationStatus(gw: Gateway) {
  const [cp, head, witnesses] = await Promise.all([
    latestCheckpoint(gw.store),
    treeHead(gw.store),
    peerWitnessStatus(gw.store),
  ]);
  return {
    city: gw.self.id,
    cities: gw.cities.all().map((c) => ({
      id: c.id,
      name: c.name,
      member: c.member !== false,
      adapter: c.adapter.kind,
      url: gw.cities.gatewayUrl(c.id) ?? null,
    })),
    checkpoint: cp?.note ?? null,
    ledgerSize: Number(head.size),
    witnesses: witnesses.map((w) => ({
      peer: w.peer,
      status: w.status,
      size: w.size,
      seenAt: new Date(w.seenAt).toISOString(),
      detail: (w as { detail?: string | null }).detail ?? null,
    })),
  };
}
