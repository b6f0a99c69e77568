/**
 * The bench reads Chromium's page clock, which moves in 0.1 ms steps: its percentiles are read
 * between the steps (dev/bench/common.ts, steppedPercentile), never as 0.000 for a hop shorter
 * than a step.
 */
import { describe, expect, it } from 'vitest';
import { steppedPercentile, steppedStat } from '../../dev/bench/common.js';

const STEP = 0.1;
const repeat = (value: number, times: number): number[] => Array<number>(times).fill(value);
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

describe('steppedPercentile', () => {
  it.each([
    // [what, samples, p, expected]
    ['every reading on one step: its middle', repeat(0.7, 10), 50, 0.7],
    [
      '30 % / 40 % / 30 % around 0.7: the middle step',
      [...repeat(0.6, 3), ...repeat(0.7, 4), ...repeat(0.8, 3)],
      50,
      0.7,
    ],
    [
      '40 % at 0.6, 60 % at 0.7: a sixth into the 0.7 step',
      [...repeat(0.6, 4), ...repeat(0.7, 6)],
      50,
      0.65 + 0.1 / 6,
    ],
    [
      '60 % at 0, 40 % at 0.1: inside the first half-step, not 0',
      [...repeat(0, 6), ...repeat(0.1, 4)],
      50,
      (5 / 6) * 0.05,
    ],
    [
      'p99 of 100 readings, 99 on 0.5 and one on 0.9: the top of the 0.5 step',
      [...repeat(0.5, 99), 0.9],
      99,
      0.55,
    ],
    [
      'readings carrying float noise (0.7000000029802322)',
      repeat(0.7000000029802322, 10),
      50,
      0.7000000029802322,
    ],
  ])('%s', (_what, samples, p, expected) => {
    expect(steppedPercentile(sorted(samples), p, STEP)).toBeCloseTo(expected, 9);
  });

  it('is NaN without samples', () => {
    expect(steppedPercentile([], 50, STEP)).toBeNaN();
  });

  it('stays within half a step of the nearest-rank reading, and never decreases with p', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 200; run++) {
      const xs = sorted(
        Array.from(
          { length: 1 + Math.floor(random() * 300) },
          () => Math.round(random() * 20) * STEP,
        ),
      );
      let last = -Infinity;
      for (const p of [1, 10, 25, 50, 75, 90, 99, 100]) {
        const v = steppedPercentile(xs, p, STEP);
        const rank = xs[Math.max(1, Math.ceil((p / 100) * xs.length)) - 1]!;
        expect(v).toBeGreaterThanOrEqual(Math.max(0, rank - STEP / 2) - 1e-12);
        expect(v).toBeLessThanOrEqual(rank + STEP / 2 + 1e-12);
        expect(v).toBeGreaterThanOrEqual(last - 1e-12);
        last = v;
      }
    }
  });
});

describe('steppedStat', () => {
  it('reads p50 and p99 between steps and keeps the readings on the step beside them', () => {
    const s = steppedStat([...repeat(0, 6), ...repeat(0.1, 4)], STEP);
    expect(s.p50).toBeCloseTo((5 / 6) * 0.05, 9);
    expect(s.p50OnStep).toBe(0);
    expect(s.p99OnStep).toBeCloseTo(0.1, 9);
    expect(s.mean).toBeCloseTo(0.04, 9);
    expect(s).toMatchObject({ n: 10, min: 0, max: 0.1, step: STEP });
  });
});
