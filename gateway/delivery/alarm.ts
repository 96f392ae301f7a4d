/**
 * The delivery loop's sleep, cut short by news: `ring()` wakes a sleeper at once, or, if none
 * sleeps yet, marks the news so that the loop does not go to sleep on it (`rung`, cleared by the
 * loop at the top of each turn).
 */
export class Alarm {
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  rung = false;

  ring(): void {
    this.rung = true;
    this.wake?.();
  }

  /** Sleep up to `ms`, or until `ring()`. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        clearTimeout(this.timer);
        this.wake = undefined;
        resolve();
      };
      this.timer = setTimeout(() => this.wake?.(), ms);
    });
  }
}
