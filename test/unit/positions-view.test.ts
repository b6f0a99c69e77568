/**
 * How positions read: the P&L's direction as a word and arrow beside its sign (colour is never the
 * only cue), the protective orders the host placed attached to their positions, and the CLI's lines.
 */
import { describe, expect, it } from 'vitest';
import { PNL_WORD, pnlDirection, signedPnl } from '../../src/protocol/positions.js';
import type { PositionView, PositionsListResult } from '../../src/protocol/positions.js';
import { positionView, withProtection } from '../../src/native-host/service/exchange/positions.js';
import { positionLine, positionsText } from '../../src/native-host/cli/commands/positions.js';
import Database from 'better-sqlite3';
import {
  compactLine,
  leverageText,
  pnlView,
  positionsOf,
  protectionText,
  symbolLabel,
} from '../../src/ui/positions-view.js';
import { openProtectiveOrders } from '../../src/native-host/service/handlers/positions.js';

describe('pnlDirection and signedPnl', () => {
  it.each([
    ['12.5', 'gain', '+12.5'],
    ['+3', 'gain', '+3'],
    ['-0.01', 'loss', '-0.01'],
    ['0', 'flat', '0'],
    ['-0.000', 'flat', '-0.000'],
    ['.5', 'gain', '+.5'],
  ] as const)('%s → %s, shown %s', (pnl, direction, shown) => {
    expect(pnlDirection(pnl)).toBe(direction);
    expect(signedPnl(pnl)).toBe(shown);
  });

  it.each([undefined, '', 'NaN', '1e3', 'abc', '--1'])('%s is unknown, with no word', (pnl) => {
    expect(pnlDirection(pnl)).toBe('unknown');
    expect(PNL_WORD.unknown).toBe('');
  });

  it('every known direction has a word and an arrow', () => {
    expect(PNL_WORD.gain).toMatch(/▲.*profit/);
    expect(PNL_WORD.loss).toMatch(/▼.*loss/);
  });
});

const long: PositionView = {
  connectionId: 'c_1',
  symbol: 'BTC/USDT:USDT',
  side: 'long',
  contracts: '0.01',
  size: '0.01',
  entryPrice: '50000',
  markPrice: '51000',
  unrealizedPnl: '10',
  leverage: 5,
  marginMode: 'isolated',
};

describe('withProtection', () => {
  it('attaches the newest stop-loss and take-profit of the same connection and symbol', () => {
    const [p] = withProtection(
      [long],
      [
        { connectionId: 'c_1', symbol: 'BTC/USDT:USDT', role: 'stopLoss', triggerPrice: '48000' },
        { connectionId: 'c_1', symbol: 'BTC/USDT:USDT', role: 'stopLoss', triggerPrice: '47000' },
        { connectionId: 'c_2', symbol: 'BTC/USDT:USDT', role: 'takeProfit', triggerPrice: '1' },
        { connectionId: 'c_1', symbol: 'ETH/USDT:USDT', role: 'takeProfit', triggerPrice: '2' },
      ],
    );
    expect(p).toEqual({ ...long, stopLoss: '48000' });
  });

  it('leaves a position without protective orders as it was', () => {
    expect(withProtection([long], [])).toEqual([long]);
  });
});

describe('positionView (ccxt → PositionView)', () => {
  it('OKX-style contracts become base units; a short is a short', () => {
    const v = positionView('c_9', {
      symbol: 'ETH/USDT:USDT',
      side: 'short',
      contracts: 3,
      contractSize: 0.1,
      unrealizedPnl: '-1.5',
    });
    expect(v).toMatchObject({ side: 'short', contracts: '3', size: '0.3', unrealizedPnl: '-1.5' });
  });
});

describe('the CLI lines', () => {
  it('one position: side, size, entry, mark, signed P&L with its word, leverage, SL/TP', () => {
    expect(positionLine({ ...long, stopLoss: '48000' })).toBe(
      'c_1  BTC/USDT:USDT  LONG 0.01  entry 50000  mark 51000  P&L +10 ▲ profit  5x  isolated  SL 48000  TP none',
    );
  });

  it('says what to do when no route trades swaps, and lists problems per connection', () => {
    const none: PositionsListResult = { positions: [], problems: [], asked: [] };
    expect(positionsText(none)[0]).toMatch(/add "swap" to a route's markets/);
    const r: PositionsListResult = {
      positions: [],
      problems: [{ connectionId: 'c_2', reason: 'EXCHANGE_UNREACHABLE', message: 'try later' }],
      asked: ['c_1', 'c_2'],
    };
    expect(positionsText(r)).toEqual([
      'no open positions',
      'c_2: could not read positions: try later',
    ]);
  });
});

describe('openProtectiveOrders (the journal)', () => {
  const make = (extra: string) => {
    const db = new Database(':memory:');
    db.exec(
      `CREATE TABLE orders (connection_id TEXT, symbol TEXT, state TEXT, created_at TEXT${extra})`,
    );
    return db;
  };

  it('a journal without role and trigger price columns gives none', () => {
    expect(openProtectiveOrders(make(''))).toEqual([]);
  });

  it('open protective orders, newest first; failed, closed and entry rows are left out', () => {
    const db = make(', role TEXT, trigger_price TEXT, closed TEXT');
    const add = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)');
    add.run('c_1', 'BTC/USDT:USDT', 'placed', '2026-12-01T01:00:00Z', 'stop-loss', '48000', null);
    add.run('c_1', 'BTC/USDT:USDT', 'placed', '2026-12-01T02:00:00Z', 'take-profit', '55000', null);
    add.run('c_1', 'BTC/USDT:USDT', 'failed', '2026-12-01T03:00:00Z', 'stop-loss', '1', null);
    add.run('c_1', 'BTC/USDT:USDT', 'placed', '2026-12-01T04:00:00Z', 'entry', null, null);
    add.run('c_1', 'BTC/USDT:USDT', 'placed', '2026-12-01T05:00:00Z', 'stop-loss', '2', 'fired');
    expect(openProtectiveOrders(db)).toEqual([
      { connectionId: 'c_1', symbol: 'BTC/USDT:USDT', role: 'takeProfit', triggerPrice: '55000' },
      { connectionId: 'c_1', symbol: 'BTC/USDT:USDT', role: 'stopLoss', triggerPrice: '48000' },
    ]);
  });
});

describe("the pages' view of positions", () => {
  it('P&L: sign, word and tone together', () => {
    expect(pnlView('-4.2')).toEqual({ text: '-4.2', word: '▼ loss', tone: 'loss' });
    expect(pnlView('7')).toEqual({ text: '+7', word: '▲ profit', tone: 'gain' });
    expect(pnlView(undefined)).toEqual({ text: '—', word: '', tone: 'unknown' });
  });

  it('leverage and margin mode in words; a missing leverage is said, not guessed', () => {
    expect(leverageText(long)).toBe('5x isolated');
    expect(leverageText({ ...long, leverage: undefined as never, marginMode: 'cross' })).toBe(
      'cross margin · leverage not reported',
    );
  });

  it('symbols and protection in words', () => {
    expect(symbolLabel('BTC/USDT:USDT')).toBe('BTC/USDT perp');
    expect(symbolLabel('BTC/USD:BTC')).toBe('BTC/USD perp (BTC)');
    expect(symbolLabel('ETH/USDT')).toBe('ETH/USDT');
    expect(protectionText(long)).toBe('no SL/TP');
    expect(protectionText({ ...long, stopLoss: '48000' })).toBe('SL 48000 · no TP');
    expect(protectionText({ ...long, stopLoss: '1', takeProfit: '2' })).toBe('SL 1 · TP 2');
  });

  it("one connection's share of the answer: asked, positions, problem", () => {
    const r: PositionsListResult = {
      positions: [long, { ...long, connectionId: 'c_2' }],
      problems: [{ connectionId: 'c_3', reason: 'EXCHANGE_ERROR', message: 'refused' }],
      asked: ['c_1', 'c_2', 'c_3'],
    };
    expect(positionsOf(r, 'c_1')).toEqual({ positions: [long], asked: true });
    expect(positionsOf(r, 'c_3')).toEqual({ positions: [], problem: 'refused', asked: true });
    expect(positionsOf(r, 'c_9')).toEqual({ positions: [], asked: false });
    expect(positionsOf(null, 'c_1')).toEqual({ positions: [], asked: false });
  });

  it('the popup mention: nothing without positions; the first in short, how many more, all in the title', () => {
    expect(compactLine([])).toBeNull();
    expect(compactLine([long])?.text).toBe('Long BTC');
    const two = compactLine([long, { ...long, symbol: 'ETH/USDT:USDT', side: 'short' }]);
    expect(two?.text).toBe('Long BTC (+1)');
    expect(two?.pnl).toEqual({ text: '+10', word: '▲ profit', tone: 'gain' });
    expect(two?.title).toBe(
      'Long 0.01 BTC/USDT perp 5x: P&L +10 ▲ profit, no SL/TP\nShort 0.01 ETH/USDT perp 5x: P&L +10 ▲ profit, no SL/TP',
    );
  });
});
