import {
  backoffMs,
  classifyAnswer,
  MAX_RETRY_AFTER_MS,
  retryAfterMs,
} from '../../gateway/delivery/backoff';
import { CircuitBreaker } from '../../gateway/delivery/circuit-breaker';
import { parseDuration, parsePeerUrls } from '../../gateway/delivery/duration';
import { DeliveryStats, LATENCY_BUCKETS_MS } from '../../gateway/delivery/stats';

/** The delivery policy in isolation: backoff, Retry-After, classification, breaker, stats, flags. */
describe('delivery policy', () => {
  it('full jitter: uniform in [0, min(cap, base·2^attempt)), capped', () => {
    expect(backoffMs(1, 500, 300_000, () => 0.999999)).toBe(999);
    expect(backoffMs(3, 500, 300_000, () => 0.5)).toBe(2000);
    expect(backoffMs(40, 500, 300_000, () => 0.999999)).toBe(299_999);
    expect(backoffMs(5, 500, 300_000, () => 0)).toBe(0);
    const xs = Array.from({ length: 2000 }, () => backoffMs(4, 100, 10_000));
    expect(Math.max(...xs)).toBeLessThan(1600);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(new Set(xs).size).toBeGreaterThan(500); // spread, not lockstep
  });

  it('Retry-After: seconds or an HTTP date, capped', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs([' 5 '], now)).toBe(5_000);
    expect(retryAfterMs('Sun, 22 Nov 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('99999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('classifies answers: throttled, retry, refused', () => {
    expect(classifyAnswer(429)).toBe('throttled');
    expect(classifyAnswer(503, 'not_ready')).toBe('throttled');
    expect(classifyAnswer(500)).toBe('retry');
    expect(classifyAnswer(502, 'peer_unreachable')).toBe('retry');
    expect(classifyAnswer(408)).toBe('retry');
    expect(classifyAnswer(401, 'unknown_key')).toBe('retry');
    expect(classifyAnswer(401, 'bad_signature')).toBe('refused');
    expect(classifyAnswer(401, 'stale_message')).toBe('refused');
    expect(classifyAnswer(409, 'message_id_reused')).toBe('refused');
    expect(classifyAnswer(409, 'try_again')).toBe('retry');
    expect(classifyAnswer(409, 'conflict')).toBe('refused');
    expect(classifyAnswer(404, 'not_found')).toBe('refused');
  });

  it('circuit breaker: opens after the threshold, one probe when half-open, doubles on a failed probe', () => {
    let t = 0;
    const b = new CircuitBreaker({ threshold: 3, openMs: 1000, maxOpenMs: 3000 }, () => t);
    b.failure('x');
    b.failure('x');
    expect(b.state('x')).toBe('closed');
    b.failure('x');
    expect(b.state('x')).toBe('open');
    expect(b.blockedPeers()).toEqual(['x']);
    b.failure('x'); // stragglers change nothing
    t = 1000;
    expect(b.state('x')).toBe('half_open');
    expect(b.probePeers()).toEqual(['x']);
    expect(b.blockedPeers()).toEqual([]);
    b.probing('x');
    expect(b.probePeers()).toEqual([]);
    expect(b.blockedPeers()).toEqual(['x']);
    b.failure('x'); // the probe failed: open for twice as long
    expect(b.state('x')).toBe('open');
    t = 2999;
    expect(b.state('x')).toBe('open');
    t = 3000;
    expect(b.state('x')).toBe('half_open');
    b.probing('x');
    b.failure('x');
    t = 5999;
    expect(b.state('x')).toBe('open'); // capped at maxOpenMs
    t = 6000;
    b.probing('x');
    b.success('x');
    expect(b.state('x')).toBe('closed');
    expect(b.snapshot()).toEqual({});
    // other peers are unaffected throughout
    expect(b.state('y')).toBe('closed');
  });

  it('circuit breaker: Retry-After pauses a peer; a probe without verdict is released', () => {
    let t = 0;
    const b = new CircuitBreaker({}, () => t);
    b.pause('x', 30_000);
    expect(b.state('x')).toBe('open');
    t = 30_000;
    expect(b.probePeers()).toEqual(['x']);
    b.probing('x');
    b.release('x');
    expect(b.probePeers()).toEqual(['x']);
  });

  it('circuit breaker: records what a delivery result says about its peer', () => {
    let t = 0;
    const b = new CircuitBreaker({ threshold: 1, openMs: 1000, maxOpenMs: 1000 }, () => t);
    b.record('down', 'down', undefined, false);
    expect(b.state('down')).toBe('open');
    b.record('slow', 'throttled', 5_000, false);
    t = 1000;
    expect(b.state('slow')).toBe('open'); // paused for its Retry-After, longer than openMs
    expect(b.state('down')).toBe('half_open');
    b.probing('down');
    b.record('down', 'none', undefined, true); // the probe ended without a verdict
    expect(b.probePeers()).toContain('down');
    b.probing('down');
    b.record('down', 'up', undefined, true);
    expect(b.state('down')).toBe('closed');
  });

  it('stats: per-peer counters, in-flight gauge and peak, latency histogram', () => {
    const s = new DeliveryStats(() => 'closed');
    s.started('a');
    s.started('a');
    s.started('b');
    s.finished('a', 'delivered', 7);
    s.finished('a', 'retry', 2000, 'ECONNREFUSED');
    s.finished('b', 'dead', 3, '422 validation_failed');
    s.expiredOne('b', 'retry budget spent');
    const [a, b] = s.snapshot();
    expect(a).toMatchObject({
      peer: 'a',
      inFlight: 0,
      peakInFlight: 2,
      retries: 1,
      deadLetters: 0,
      lastError: 'ECONNREFUSED',
    });
    expect(a!.attempts).toEqual({ delivered: 1, retry: 1, dead: 0, superseded: 0 });
    expect(a!.latency.count).toBe(1);
    expect(a!.latency.sumMs).toBe(7);
    expect(a!.latency.buckets.map((x) => x.le)).toEqual([...LATENCY_BUCKETS_MS]);
    expect(a!.latency.buckets.find((x) => x.le === 5)!.count).toBe(0);
    expect(a!.latency.buckets.find((x) => x.le === 10)!.count).toBe(1);
    expect(b).toMatchObject({ peer: 'b', deadLetters: 2, expired: 1, breaker: 'closed' });
  });

  it('serve flags: durations and peer URL overrides', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('72h')).toBe(259_200_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('3d')).toBe(259_200_000);
    expect(parseDuration('800')).toBe(800);
    expect(() => parseDuration('ten seconds', '--retry-budget')).toThrow(/--retry-budget/);
    expect(
      parsePeerUrls([
        '330100=http://127.0.0.1:1234/',
        '230100=http://127.0.0.1:9,530100=https://km.example',
      ]),
    ).toEqual({
      '330100': 'http://127.0.0.1:1234',
      '230100': 'http://127.0.0.1:9',
      '530100': 'https://km.example',
    });
    expect(parsePeerUrls(['{"330100":"http://127.0.0.1:1"}'])).toEqual({
      '330100': 'http://127.0.0.1:1',
    });
    expect(() => parsePeerUrls(['hangzhou=http://x'])).toThrow(/6-digit/);
    expect(() => parsePeerUrls(['330100=ftp://x'])).toThrow(/http/);
  });
});
