/**
 * trading.pause / trading.resume when the state cannot be saved (a full disk, a read-only data
 * folder): the switch holds in memory first, is announced, and the answer says it was not saved —
 * never INTERNAL for a pause that already holds.
 */
import { tradingHandlers } from '../../src/native-host/service/handlers/trading.js';
import type { ServiceContext } from '../../src/native-host/service/handlers/context.js';
import type { StateDb } from '../../src/native-host/service/store/state-db.js';

interface Harness {
  ctx: ServiceContext;
  notifications: { method: string; params: unknown }[];
  /** ctx.trading as the store saw it when asked to write (to prove memory came first). */
  seenBySave: { paused: boolean; reason?: string }[];
  errors: string[];
}

function harness(saveFails: Error | null): Harness {
  const notifications: Harness['notifications'] = [];
  const seenBySave: Harness['seenBySave'] = [];
  const errors: string[] = [];
  const trading: ServiceContext['trading'] = { paused: false };
  const db = {
    setSetting: (key: string, value: string) => {
      expect(key).toBe('trading');
      seenBySave.push({ ...trading });
      if (saveFails) throw saveFails;
      expect(JSON.parse(value)).toEqual(trading);
    },
  } as unknown as StateDb;
  // Only what tradingHandlers touches; the rest of the context is never read by these methods.
  const ctx = {
    db,
    trading,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: (m: string) => errors.push(m) },
    notify: (method: string, params: unknown) => notifications.push({ method, params }),
  } as unknown as ServiceContext;
  return { ctx, notifications, seenBySave, errors };
}

// better-sqlite3's SqliteError for SQLITE_FULL and for a read-only database.
const DISK_FULL = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
const READ_ONLY = Object.assign(new Error('attempt to write a readonly database'), {
  code: 'SQLITE_READONLY',
});

describe('trading.pause / trading.resume', () => {
  it('saved: {paused, saved: true}, announced with the reason', () => {
    const h = harness(null);
    const handlers = tradingHandlers(h.ctx);
    expect(handlers['trading.pause']!({ reason: 'holiday' })).toEqual({
      paused: true,
      saved: true,
    });
    expect(h.notifications).toEqual([
      { method: 'trading.changed', params: { paused: true, saved: true, reason: 'holiday' } },
    ]);
    expect(handlers['trading.resume']!({})).toEqual({ paused: false, saved: true });
    expect(h.ctx.trading).toEqual({ paused: false });
  });

  it('a full disk: the pause holds in memory first, is announced, and the answer says it was not saved', () => {
    const h = harness(DISK_FULL);
    const result = tradingHandlers(h.ctx)['trading.pause']!({}) as Record<string, unknown>;
    expect(result).toMatchObject({ paused: true, saved: false });
    expect(result['warning']).toMatch(
      /could not be saved to disk: database or disk is full; it holds until the service stops/,
    );
    expect(result['warning']).toMatch(/Free some disk space/);
    expect(h.seenBySave).toEqual([{ paused: true, reason: 'paused by the user' }]); // memory first
    expect(h.ctx.trading.paused).toBe(true);
    expect(h.notifications).toEqual([
      {
        method: 'trading.changed',
        params: {
          paused: true,
          saved: false,
          warning: result['warning'],
          reason: 'paused by the user',
        },
      },
    ]);
    expect(h.errors.join('\n')).toMatch(/not saved/);
  });

  it('a read-only data folder: resume holds too, and the answer says what a restart brings back', () => {
    const h = harness(READ_ONLY);
    h.ctx.trading.paused = true;
    h.ctx.trading.reason = 'earlier';
    const result = tradingHandlers(h.ctx)['trading.resume']!({}) as Record<string, unknown>;
    expect(result).toMatchObject({ paused: false, saved: false });
    expect(result['warning']).toMatch(/attempt to write a readonly database/);
    expect(result['warning']).toMatch(/after a restart the service goes back to the last state/);
    expect(h.ctx.trading).toEqual({ paused: false });
    expect(h.notifications.map((n) => n.method)).toEqual(['trading.changed']);
  });

  it('a bad reason is refused before anything changes', () => {
    const h = harness(null);
    expect(() => tradingHandlers(h.ctx)['trading.pause']!({ reason: 42 })).toThrow(
      expect.objectContaining({ reason: 'INVALID_PARAMS' }),
    );
    expect(h.ctx.trading.paused).toBe(false);
    expect(h.notifications).toEqual([]);
  });

  it('a long storage error is cut, not echoed whole', () => {
    const h = harness(new Error('x'.repeat(5000)));
    const result = tradingHandlers(h.ctx)['trading.pause']!({}) as { warning: string };
    expect(result.warning.length).toBeLessThan(700);
  });
});
