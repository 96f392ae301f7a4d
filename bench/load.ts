/**
 * What the bench child's load drivers share (bench/gateway.ts): the result of a run, the
 * delivery outcomes they listen to, the process's CPU time and the progress lines.
 */
import { performance } from 'node:perf_hooks';
import { notifyParent } from './proc';
import type { LatencySummary } from './stats';

export interface RunResult {
  delivered: number;
  dead: number;
  retries: number;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
  /** CPU time this process spent per delivered delegation (user + system). */
  cpuMsPerDelegation: number;
}

/** What the delivery worker reports of one message (DeliveryObserver). */
export interface Outcome {
  outcome: string;
  messageId: string;
  /** From the request's start to its answer verified (DeliveryObserver). */
  ms: number;
}

/** User + system CPU time of this process, in ms. */
export function cpuMs(): number {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1000;
}

/** A progress line to the parent every second; call the result to stop. */
export function progressTicker(phase: string, counts: () => { delivered: number; queued: number }) {
  let last = { t: performance.now(), delivered: 0 };
  const timer = setInterval(() => {
    const c = counts();
    const t = performance.now();
    notifyParent('progress', {
      phase,
      ...c,
      perSecond: Math.round(((c.delivered - last.delivered) * 1000) / (t - last.t)),
    });
    last = { t, delivered: c.delivered };
  }, 1000);
  return () => clearInterval(timer);
}
