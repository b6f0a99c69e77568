/**
 * Generated hostile signals that stay inside the schema: random sides, types, size kinds, sizes,
 * limit prices from 0.0001× to 10× the market with 0–18 decimals, reduceOnly. Seeded, so a failure
 * is reproduced by its seed (printed by the tests that use it).
 */

/** mulberry32: a small, fast, seedable PRNG (public domain). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HostileSignal {
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  size: { base: string } | { quote: string } | { balancePct: string };
  price?: string;
  reduceOnly?: boolean;
}

/** A positive decimal string with exactly `decimals` digits after the point (none when 0). */
export function decimalText(value: number, decimals: number): string {
  const fixed = value.toFixed(Math.min(decimals, 18));
  // toFixed beyond ~17 significant digits invents digits; they are still a valid decimal string.
  return /[1-9]/.test(fixed) ? fixed : `0.${'0'.repeat(Math.max(0, decimals - 1))}1`;
}

export function hostileSignal(rand: () => number, marketPrice: number): HostileSignal {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const decimals = Math.floor(rand() * 19); // 0..18
  const side = pick(['buy', 'sell'] as const);
  const type = pick(['market', 'limit'] as const);
  const kind = pick(['base', 'quote', 'balancePct'] as const);
  // Log-uniform magnitudes: tiny to far over any cap.
  const logUniform = (lo: number, hi: number) =>
    Math.exp(Math.log(lo) + rand() * Math.log(hi / lo));
  const size =
    kind === 'base'
      ? { base: decimalText(logUniform(1e-6, 20), decimals) }
      : kind === 'quote'
        ? { quote: decimalText(logUniform(0.01, 1e6), decimals) }
        : { balancePct: decimalText(logUniform(0.001, 100), Math.min(decimals, 6)) };
  const signal: HostileSignal = { side, type, size };
  // Limit prices: mostly near the market (where bands bite), the rest anywhere in 0.0001×..10×.
  if (type === 'limit') {
    const factor = rand() < 0.5 ? 0.9 + rand() * 0.2 : logUniform(0.0001, 10);
    signal.price = decimalText(marketPrice * factor, Math.floor(rand() * 19));
  } else if (rand() < 0.2) {
    signal.price = decimalText(marketPrice * logUniform(0.0001, 10), 2); // a reference price only
  }
  const r = rand();
  if (r < 0.1) signal.reduceOnly = true;
  else if (r < 0.2) signal.reduceOnly = false;
  return signal;
}

export interface HostileSwapSignal extends Omit<HostileSignal, 'size'> {
  size: HostileSignal['size'] | { positionPct: string };
  leverage?: string;
  marginMode?: 'isolated' | 'cross';
  stopLoss?: { triggerPrice: string };
  takeProfit?: { triggerPrice: string };
}

/**
 * A hostile perpetual signal: the spot generator's sides, types and sizes, plus leverage 1–125
 * (mostly within a few of a route's cap), either margin mode, stop-loss / take-profit triggers
 * on either side of the market (so some would fire at once), and reduce-only closes sized by
 * positionPct up to 100.
 */
export function hostileSwapSignal(rand: () => number, marketPrice: number): HostileSwapSignal {
  const base = hostileSignal(rand, marketPrice);
  const signal: HostileSwapSignal = { ...base };
  if (rand() < 0.7)
    signal.leverage = String(
      rand() < 0.8 ? 1 + Math.floor(rand() * 8) : 1 + Math.floor(rand() * 125),
    );
  if (rand() < 0.5) signal.marginMode = rand() < 0.5 ? 'isolated' : 'cross';
  const trigger = (): { triggerPrice: string } => ({
    triggerPrice: decimalText(marketPrice * (0.7 + rand() * 0.6), Math.floor(rand() * 4)),
  });
  if (rand() < 0.5) signal.stopLoss = trigger();
  if (rand() < 0.4) signal.takeProfit = trigger();
  if (base.reduceOnly === true || rand() < 0.15) {
    signal.reduceOnly = true;
    if (rand() < 0.6)
      signal.size = { positionPct: decimalText(1 + rand() * 99, Math.floor(rand() * 3)) };
  }
  return signal;
}
