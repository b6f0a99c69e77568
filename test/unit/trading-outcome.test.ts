/** How a signal's outcome is read from its routes' and from its journaled orders (outcome.ts). */
import { expect, it } from 'vitest';
import type { OrderRow } from '../../src/native-host/service/store/trading-store.js';
import {
  connectionGoneOutcome,
  journaledOutcome,
  signalOutcome,
  type RouteOutcome,
} from '../../src/native-host/service/trading/outcome.js';

const executed: RouteOutcome = { status: 'executed' };
const dry: RouteOutcome = { status: 'dry-run' };
const paused: RouteOutcome = { status: 'rejected', reason: 'paused', message: 'p' };
const capped: RouteOutcome = { status: 'rejected', reason: 'over-daily-limit', message: 'c' };

it.each<[string, RouteOutcome[], RouteOutcome]>([
  ['one route executed', [executed], executed],
  ['executed anywhere wins over rejections and dry runs', [paused, dry, executed], executed],
  ['all rejected: the first rejection', [capped, paused], capped],
  ['a dry run among rejections: dry-run', [capped, dry], dry],
  ['only dry runs', [dry, dry], dry],
])('signalOutcome: %s', (_what, outcomes, expected) => {
  expect(signalOutcome(outcomes)).toEqual(expected);
});

const order = (extra: Partial<OrderRow>): OrderRow =>
  ({ connectionId: 'c9', mode: 'live', attempts: 1, error: null, ...extra }) as OrderRow;

it.each<[string, Partial<OrderRow>, RouteOutcome | null]>([
  ['placed live', { state: 'placed' }, executed],
  ['placed in dry-run', { state: 'placed', mode: 'dry-run' }, dry],
  ['simulated', { state: 'simulated' }, dry],
  [
    'failed, with its error',
    { state: 'failed', error: 'refused: balance' },
    { status: 'rejected', reason: 'not-placed', message: 'refused: balance' },
  ],
  [
    'unknown, with its error',
    { state: 'unknown', error: 'check it on the exchange' },
    { status: 'rejected', reason: 'unconfirmed', message: 'check it on the exchange' },
  ],
  ['an intent: not settled, so nothing to say', { state: 'intent' }, null],
])('journaledOutcome: %s', (_what, extra, expected) => {
  expect(journaledOutcome(order(extra))).toEqual(expected);
});

it.each<[number, RouteOutcome['status'], string, RegExp]>([
  [0, 'rejected', 'connection-missing', /c9 no longer exists; nothing was sent/],
  [
    2,
    'rejected',
    'unconfirmed',
    /c9 no longer exists, .* may have reached the exchange: check it there/,
  ],
])('connectionGoneOutcome after %i sends', (attempts, status, reason, message) => {
  const o = connectionGoneOutcome(order({ state: 'intent', attempts }));
  expect(o).toMatchObject({ status, reason });
  expect((o as { message: string }).message).toMatch(message);
});
