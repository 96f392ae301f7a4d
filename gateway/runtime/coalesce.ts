/**
 * Coalesce nudges: the first call starts a window of `ms`; every call inside it shares the one
 * run of `fn` at its end. Anything done before a call is therefore covered by a run that starts
 * after it. With ms = 0 every call runs `fn` at once.
 */
export function coalesce(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const nudge = () => {
    if (ms <= 0) return fn();
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
    timer.unref();
  };
  return Object.assign(nudge, {
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  });
}
