/**
 * Signal v2 (perpetual swaps) as a table: what parses, what is refused and why; a v1 signal keeps
 * its meaning (v2 fields in it are unknown fields).
 */
import { parseSignal } from '../../src/signals/signal.js';

const base = {
  id: 'sig1',
  strategy: 's',
  issuedAt: 1_700_000_000_000,
  symbol: 'BTC/USDT:USDT',
  side: 'buy',
  type: 'market',
  size: { base: '0.01' },
};
const v2 = (extra: Record<string, unknown>) => ({ ...base, v: 2, ...extra });

describe('signal v2 parses', () => {
  it.each([
    [
      'leverage, margin mode, stop-loss and take-profit',
      v2({
        leverage: '3',
        marginMode: 'cross',
        stopLoss: { triggerPrice: '95000' },
        takeProfit: { triggerPrice: '99000.5' },
      }),
    ],
    ['leverage 125, the most any of the three offers', v2({ leverage: '125' })],
    ['no v2 field at all (a v1-shaped v2 signal)', v2({})],
    [
      'positionPct with reduceOnly',
      v2({ side: 'sell', reduceOnly: true, size: { positionPct: '50' } }),
    ],
    [
      'positionPct 100 closes the position',
      v2({ side: 'sell', reduceOnly: true, size: { positionPct: '100' } }),
    ],
  ])('%s', (_name, signal) => {
    const r = parseSignal(signal);
    expect(r).toEqual({ ok: true, signal });
  });
});

describe('signal v2 refuses', () => {
  it.each([
    ['leverage 0', v2({ leverage: '0' }), 'invalid-field', 'leverage'],
    ['leverage 126', v2({ leverage: '126' }), 'invalid-field', 'leverage'],
    ['leverage "3.5"', v2({ leverage: '3.5' }), 'invalid-field', 'leverage'],
    ['leverage "03"', v2({ leverage: '03' }), 'invalid-field', 'leverage'],
    ['leverage as a number', v2({ leverage: 3 }), 'malformed', 'leverage'],
    ['marginMode "portfolio"', v2({ marginMode: 'portfolio' }), 'invalid-field', 'marginMode'],
    [
      'stopLoss without triggerPrice',
      v2({ stopLoss: {} }),
      'missing-field',
      'stopLoss.triggerPrice',
    ],
    ['stopLoss as a string', v2({ stopLoss: '95000' }), 'malformed', 'stopLoss'],
    [
      'takeProfit with an unknown field',
      v2({ takeProfit: { triggerPrice: '1', type: 'limit' } }),
      'unknown-field',
      'takeProfit.type',
    ],
    [
      'a negative trigger',
      v2({ stopLoss: { triggerPrice: '-1' } }),
      'bad-price',
      'stopLoss.triggerPrice',
    ],
    [
      'a zero trigger',
      v2({ takeProfit: { triggerPrice: '0' } }),
      'bad-price',
      'takeProfit.triggerPrice',
    ],
    [
      'a trigger with an exponent',
      v2({ stopLoss: { triggerPrice: '9e4' } }),
      'bad-price',
      'stopLoss.triggerPrice',
    ],
    [
      'positionPct without reduceOnly',
      v2({ size: { positionPct: '50' } }),
      'bad-size',
      'size.positionPct',
    ],
    [
      'positionPct with reduceOnly false',
      v2({ reduceOnly: false, size: { positionPct: '50' } }),
      'bad-size',
      'size.positionPct',
    ],
    [
      'positionPct over 100',
      v2({ reduceOnly: true, size: { positionPct: '100.01' } }),
      'bad-size',
      'size.positionPct',
    ],
    [
      'positionPct beside base',
      v2({ reduceOnly: true, size: { positionPct: '5', base: '1' } }),
      'bad-size',
      'size',
    ],
    ['version 3', { ...base, v: 3 }, 'unsupported-version', 'v'],
    // A v1 signal keeps its meaning: what v2 adds is unknown there.
    ['leverage in a v1 signal', { ...base, v: 1, leverage: '3' }, 'unknown-field', 'leverage'],
    [
      'stopLoss in a v1 signal',
      { ...base, v: 1, stopLoss: { triggerPrice: '1' } },
      'unknown-field',
      'stopLoss',
    ],
    [
      'positionPct in a v1 signal',
      { ...base, v: 1, reduceOnly: true, size: { positionPct: '50' } },
      'unknown-field',
      'size.positionPct',
    ],
  ])('%s', (_name, signal, reason, field) => {
    const r = parseSignal(signal);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.field).toBe(field);
      // Messages name fields and rules, never echo the value.
      expect(r.message).not.toContain('portfolio');
    }
  });
});
