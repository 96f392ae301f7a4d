import { machineWasBusy, median, otherCpuShare, percentile, spreadOf } from '../../../bench/stats';

/** The bench's headline is the median of its runs; the agreement check is their spread. */
describe('bench statistics', () => {
  it('median of an odd count is the middle value, whatever the order', () => {
    expect(median([2297, 1858, 2310])).toBe(2297);
    expect(median([0.44, 0.56, 0.58])).toBe(0.56);
  });

  it('median of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('median of nothing is 0, of one value that value', () => {
    expect(median([])).toBe(0);
    expect(median([7])).toBe(7);
  });

  it('median does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('spread is (max − min) / max over every run', () => {
    expect(spreadOf([1858, 2297])).toBeCloseTo(0.1911, 4);
    expect(spreadOf([2000, 1900, 2100])).toBeCloseTo(200 / 2100, 10);
    expect(spreadOf([5, 5])).toBe(0);
    expect(spreadOf([])).toBe(0);
    expect(spreadOf([0, 0])).toBe(0);
  });

  it('calls the machine busy when the floor runs spread more than 20 %', () => {
    // Two benches of this session: one with a type-check started beside it, one quiet.
    expect(machineWasBusy([3485.7, 2130.7, 4055.2])).toBe(true);
    expect(machineWasBusy([3775, 3638.9, 3720])).toBe(false);
    expect(machineWasBusy([1000, 800])).toBe(false); // exactly 20 %
    expect(machineWasBusy([1000, 799])).toBe(true);
    expect(machineWasBusy([2131])).toBe(false); // one run says nothing about noise
  });

  it("measures the CPU a closed-loop run's neighbours took", () => {
    // Runs of this session: bench B's second run shared the machine with a type-check; bench
    // D's first was quiet (PostgreSQL backends that ended are not counted: slightly negative).
    const b2 = {
      cpuMsPerDelegation: 0.261,
      receiverCpuMsPerDelegation: 0.236,
      host: { busyMs: 0.945, postgresMs: 0.213 },
    };
    const d1 = {
      cpuMsPerDelegation: 0.246,
      receiverCpuMsPerDelegation: 0.225,
      host: { busyMs: 0.663, postgresMs: 0.198 },
    };
    expect(otherCpuShare(b2)).toBeCloseTo(0.235 / 0.945, 3);
    expect(otherCpuShare(d1)).toBe(0);
    expect(otherCpuShare({ ...d1, host: undefined })).toBeUndefined();
  });

  it('percentile is nearest-rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.99)).toBe(99);
    expect(percentile([], 0.5)).toBe(0);
  });
});
