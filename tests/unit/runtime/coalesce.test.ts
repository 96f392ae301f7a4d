import { coalesce } from '../../../gateway/runtime/coalesce';

describe('coalesce', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs once at the end of the window, whatever the number of nudges in it', () => {
    const fn = jest.fn();
    const nudge = coalesce(fn, 50);
    nudge();
    nudge();
    jest.advanceTimersByTime(49);
    nudge();
    expect(fn).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    nudge(); // a nudge after the run starts a new window
    jest.advanceTimersByTime(50);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('runs at once for every nudge with a zero window', () => {
    const fn = jest.fn();
    const nudge = coalesce(fn, 0);
    nudge();
    nudge();
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('can be cancelled', () => {
    const fn = jest.fn();
    const nudge = coalesce(fn, 10);
    nudge();
    nudge.cancel();
    jest.advanceTimersByTime(20);
    expect(fn).not.toHaveBeenCalled();
  });
});
