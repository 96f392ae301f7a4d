/**
 * Prometheus metrics of one gateway (prom-client), served at GET /metrics. Each gateway has its
 * own Registry: several run in one process in the sandbox and the tests. Event metrics come
 * from the delivery worker's outcome observer and the exchange's inbound observer; queue,
 * ledger, witness and SLA gauges are read from the database on each scrape (a handful of cheap,
 * indexed queries). docs/operations.md lists every metric.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type Request } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PROJECT_ROOT } from '../config/paths';
import type { DeliveryWorker } from '../delivery/worker';
import { onInbound } from '../exchange/observe';
import { latestCheckpoint, ledgerAppendRetries, peerWitnessStatus } from '../ledger';
import type { Gateway } from '../runtime/context';
import { overdueCounts } from './overdue';

/** Refusal codes that mean the signed envelope itself did not verify. */
export const SIGNATURE_FAILURES = [
  'signature_missing',
  'signature_malformed',
  'unknown_sender',
  'unknown_key',
  'bad_signature',
  'algorithm_not_allowed',
  'wrong_audience',
  'stale_message',
  'type_mismatch',
  'contract_mismatch',
  'message_id_reused',
] as const;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Queue → receipt stored spans retries: up to hours. */
const END_TO_END_BUCKETS = [...LATENCY_BUCKETS, 60, 300, 1800, 3600, 4 * 3600, 24 * 3600];
const OUTBOX_STATUSES = ['pending', 'in_flight', 'dead'] as const;
const WITNESS_STATUSES = ['ok', 'fork', 'shrink'] as const;

export interface GatewayMetrics {
  registry: Registry;
  /** Refresh the database-backed gauges, then render the exposition text. */
  render(): Promise<string>;
}

export function createGatewayMetrics(gw: Gateway, worker?: DeliveryWorker): GatewayMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ city: gw.self.id });
  collectDefaultMetrics({ register: registry });
  const r = [registry];

  new Gauge({
    name: 'tongban_build_info',
    help: 'Always 1; labels say what runs',
    labelNames: ['version', 'node', 'store'],
    registers: r,
  }).set(
    {
      version: packageVersion(),
      node: process.version,
      store: gw.store.driver,
    },
    1,
  );

  // Outgoing: the delivery worker's outcomes.
  const attempts = new Counter({
    name: 'tongban_delivery_attempts_total',
    help: 'Outbox send attempts by peer, message type and outcome (delivered, retry, dead)',
    labelNames: ['peer', 'type', 'outcome'],
    registers: r,
  });
  const retries = new Counter({
    name: 'tongban_delivery_retries_total',
    help: 'Send attempts that will be retried',
    labelNames: ['peer'],
    registers: r,
  });
  const deadLetters = new Counter({
    name: 'tongban_delivery_dead_letters_total',
    help: 'Messages dead-lettered after a send',
    labelNames: ['peer'],
    registers: r,
  });
  const attemptSeconds = new Histogram({
    name: 'tongban_delivery_attempt_duration_seconds',
    help: 'One send attempt: read, HTTP round trip to the peer, receipt verified and stored',
    labelNames: ['peer', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: r,
  });
  const endToEnd = new Histogram({
    name: 'tongban_delivery_latency_seconds',
    help: "Queued (outbox row written) to the peer's signed receipt stored, delivered messages",
    labelNames: ['peer', 'type'],
    buckets: END_TO_END_BUCKETS,
    registers: r,
  });
  worker?.onOutcome((e) => {
    attempts.inc({ peer: e.peer, type: e.type, outcome: e.outcome });
    attemptSeconds.observe({ peer: e.peer, outcome: e.outcome }, e.ms / 1000);
    if (e.outcome === 'retry') retries.inc({ peer: e.peer });
    else if (e.outcome === 'dead') deadLetters.inc({ peer: e.peer });
    else if (e.outcome === 'delivered' && e.queuedAt) {
      endToEnd.observe(
        { peer: e.peer, type: e.type },
        Math.max(0, Date.now() - new Date(e.queuedAt).getTime()) / 1000,
      );
    }
  });

  // Incoming: the exchange's receiving side.
  const inbound = new Counter({
    name: 'tongban_inbound_messages_total',
    help: 'Signed messages received, by verified sending city ("unverified" if refused before), type and outcome (accepted, replayed, refused)',
    labelNames: ['peer', 'type', 'outcome'],
    registers: r,
  });
  const inboundSeconds = new Histogram({
    name: 'tongban_inbound_duration_seconds',
    help: 'Verify, apply and answer one signed message (receipt committed to the ledger)',
    labelNames: ['peer', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: r,
  });
  const refusals = new Counter({
    name: 'tongban_inbound_refusals_total',
    help: 'Refused inbound messages by error code',
    labelNames: ['reason'],
    registers: r,
  });
  const sigFailures = new Counter({
    name: 'tongban_signature_failures_total',
    help: 'Inbound messages whose signed envelope did not verify, by error code',
    labelNames: ['reason'],
    registers: r,
  });
  for (const reason of SIGNATURE_FAILURES) sigFailures.inc({ reason }, 0);
  onInbound(gw, (e) => {
    const peer = e.peer ?? 'unverified';
    inbound.inc({ peer, type: e.type, outcome: e.outcome });
    if (e.ms > 0) inboundSeconds.observe({ peer, outcome: e.outcome }, e.ms / 1000);
    if (e.outcome !== 'refused') return;
    const reason = e.code ?? 'internal';
    refusals.inc({ reason });
    if ((SIGNATURE_FAILURES as readonly string[]).includes(reason)) sigFailures.inc({ reason });
  });

  // Read from the database on scrape.
  const g = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: r });
  const outbox = g(
    'tongban_outbox_messages',
    'Outbox rows not delivered, by status (pending, in_flight, dead)',
    ['status'],
  );
  const outboxPeer = g(
    'tongban_outbox_peer_depth',
    'Outbox rows waiting (pending or in flight) per peer',
    ['peer'],
  );
  const oldest = g(
    'tongban_outbox_oldest_pending_age_seconds',
    'Age of the oldest message waiting to be delivered (0 when none)',
  );
  let retriesSeen = 0;
  new Counter({
    name: 'tongban_ledger_append_retries_total',
    help: 'Ledger appends that found the head moved (another replica appended) and wrote again under its lock',
    registers: r,
    collect() {
      const now = ledgerAppendRetries(gw.store);
      if (now > retriesSeen) this.inc(now - retriesSeen);
      retriesSeen = now;
    },
  });
  const ledgerSize = g('tongban_ledger_entries', 'Entries in this gateway’s ledger (tree size)');
  const cpSize = g('tongban_ledger_checkpoint_size', 'Tree size of the latest signed checkpoint');
  const cpAge = g(
    'tongban_ledger_checkpoint_age_seconds',
    'Age of the latest signed checkpoint (-1 before the first)',
  );
  const unsigned = g(
    'tongban_ledger_unsigned_entries',
    'Entries not yet covered by a signed checkpoint',
  );
  const witness = g(
    'tongban_peer_witness_status',
    '1 for the current witness status of each peer’s ledger (ok, fork, shrink)',
    ['peer', 'status'],
  );
  const peerSize = g(
    'tongban_peer_checkpoint_size',
    'Tree size of the last good checkpoint witnessed from each peer',
    ['peer'],
  );
  const peerAge = g(
    'tongban_peer_checkpoint_age_seconds',
    'Seconds since each peer’s checkpoint was last witnessed',
    ['peer'],
  );
  const overdue = g(
    'tongban_sla_overdue',
    'Decisions past their SLA deadline: registration (sent, awaited) and penalising (owed by this city)',
    ['side'],
  );
  const breaker = g(
    'tongban_peer_circuit_open',
    '1 while deliveries to the peer are suspended by the circuit breaker',
    ['peer'],
  );
  const scrapeErrors = new Counter({
    name: 'tongban_metrics_collect_errors_total',
    help: 'Database reads for metrics that failed',
    labelNames: ['collector'],
    registers: r,
  });

  const collectors: Record<string, () => Promise<void>> = {
    async outbox() {
      const { rows } = await gw.store.query<{
        peer: string;
        status: string;
        n: number;
        age: number | null;
      }>(
        `SELECT peer, status, count(*)::int AS n, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age
           FROM outbox WHERE status IN ('pending', 'in_flight', 'dead') GROUP BY peer, status`,
      );
      outbox.reset();
      outboxPeer.reset();
      for (const s of OUTBOX_STATUSES) outbox.set({ status: s }, 0);
      let age = 0;
      for (const row of rows) {
        outbox.inc({ status: row.status }, row.n);
        if (row.status !== 'dead') {
          outboxPeer.inc({ peer: row.peer }, row.n);
          age = Math.max(age, Number(row.age ?? 0));
        }
      }
      oldest.set(age);
    },
    async ledger() {
      const { rows } = await gw.store.query<{ size: number }>(
        'SELECT size FROM ledger_head WHERE id = 1',
      );
      const size = rows[0]?.size ?? 0;
      const cp = await latestCheckpoint(gw.store);
      ledgerSize.set(size);
      cpSize.set(cp?.size ?? 0);
      cpAge.set(cp ? Math.max(0, (Date.now() - new Date(cp.createdAt).getTime()) / 1000) : -1);
      unsigned.set(size - (cp?.size ?? 0));
    },
    async witness() {
      witness.reset();
      peerSize.reset();
      peerAge.reset();
      for (const w of await peerWitnessStatus(gw.store)) {
        for (const s of WITNESS_STATUSES)
          witness.set({ peer: w.peer, status: s }, w.status === s ? 1 : 0);
        peerSize.set({ peer: w.peer }, w.size);
        peerAge.set(
          { peer: w.peer },
          Math.max(0, (Date.now() - new Date(w.seenAt).getTime()) / 1000),
        );
      }
    },
    async sla() {
      const c = await overdueCounts(gw.store, gw.cities, gw.self.id, gw.now());
      overdue.set({ side: 'registration' }, c.registration);
      overdue.set({ side: 'penalising' }, c.penalising);
    },
    async breaker() {
      breaker.reset();
      if (!worker) return;
      for (const city of gw.cities.all()) {
        if (city.id === gw.self.id) continue;
        breaker.set({ peer: city.id }, worker.breaker.state(city.id) === 'open' ? 1 : 0);
      }
    },
  };

  return {
    registry,
    async render() {
      await Promise.all(
        Object.entries(collectors).map(([name, collect]) =>
          collect().catch((e: unknown) => {
            scrapeErrors.inc({ collector: name });
            gw.log.warn({ err: e, collector: name }, 'metrics collection failed');
          }),
        ),
      );
      return registry.metrics();
    },
  };
}

function packageVersion(): string {
  // From source the project root holds package.json; from dist/ it is one level up.
  for (const dir of [PROJECT_ROOT, join(PROJECT_ROOT, '..')]) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
        .version;
    } catch {
      /* try the next */
    }
  }
  return 'unknown';
}

function authorised(req: Request, token: string | undefined): boolean {
  if (!token) return true;
  return req.get('authorization') === `Bearer ${token}`;
}

/** GET /metrics (Prometheus text format). Mounted at '/' in gateway/runtime/start.ts. */
export function metricsRouter(gw: Gateway, worker?: DeliveryWorker): Router {
  const m = createGatewayMetrics(gw, worker);
  const r = Router();
  r.get('/metrics', async (req, res) => {
    if (!authorised(req, gw.settings.metricsToken)) {
      res
        .status(401)
        .set('www-authenticate', 'Bearer')
        .type('text/plain')
        .send('metrics token required\n');
      return;
    }
    const text = await m.render();
    res.set('content-type', m.registry.contentType).send(text);
  });
  return r;
}
