import { progress } from './output';

/**
 * SIGTERM / SIGINT: stop claiming work, finish what is in flight, close, exit 0. If that takes
 * longer than `graceMs`, or a second signal arrives, exit at once: nothing is lost, because
 * unfinished deliveries are claimed again after their lease and a peer answers a resend with
 * its original receipt.
 */
export function onShutdown(close: () => Promise<void>, opts: { graceMs?: number } = {}): void {
  let stopping = false;
  const handler = (sig: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    progress(`${sig}: stopping (finishing in-flight deliveries)…`);
    if (opts.graceMs !== undefined) {
      setTimeout(() => {
        progress(`still stopping after ${opts.graceMs} ms: exiting; leases return unfinished work`);
        process.exit(1);
      }, opts.graceMs).unref();
    }
    close().then(
      () => process.exit(0),
      (e: unknown) => {
        progress(`error while stopping: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
