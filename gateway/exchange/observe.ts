import type { ErrorRequestHandler } from 'express';
import { isTongbanError } from '../errors';

/**
 * Optional observers of the exchange's receiving side, one list per gateway (several gateways
 * can share a process): metrics hook in here. Observers must be cheap and must not throw.
 */
export interface InboundEvent {
  /** The verified sending city; undefined when the message was refused before that. */
  peer: string | undefined;
  /** The message type the route expects ('unknown' when refused before routing). */
  type: string;
  outcome: 'accepted' | 'replayed' | 'refused';
  /** Error code of a refusal (the problem document's `code`). */
  code?: string;
  ms: number;
}

export type InboundObserver = (e: InboundEvent) => void;

const observers = new WeakMap<object, InboundObserver[]>();
const reported = new WeakSet<object>();

export function onInbound(gw: object, o: InboundObserver): void {
  const list = observers.get(gw) ?? [];
  list.push(o);
  observers.set(gw, list);
}

export function emitInbound(gw: object, e: InboundEvent, err?: unknown): void {
  if (err && typeof err === 'object') reported.add(err);
  for (const o of observers.get(gw) ?? []) {
    try {
      o(e);
    } catch {
      /* an observer never breaks the exchange */
    }
  }
}

/** The stable code of an error as the problem document will show it. */
export function errorCode(e: unknown): string {
  if (isTongbanError(e)) return e.code;
  const t = (e as { type?: string } | null)?.type;
  if (t === 'entity.too.large') return 'payload_too_large';
  if (t === 'entity.parse.failed') return 'malformed_json';
  return 'internal';
}

/** Last middleware of the exchange router: refusals that never reached receiveSigned. */
export function observeRefusals(gw: object): ErrorRequestHandler {
  return (err, _req, _res, next) => {
    if (!(err && typeof err === 'object' && reported.has(err))) {
      emitInbound(
        gw,
        { peer: undefined, type: 'unknown', outcome: 'refused', code: errorCode(err), ms: 0 },
        err,
      );
    }
    next(err);
  };
}
