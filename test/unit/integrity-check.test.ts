/** The pure vault ↔ state check: vault entries and DB rows in, problems and a repair plan out. */
import {
  NO_SECRET_REASON,
  checkConsistency,
  metaOf,
  parseMeta,
} from '../../src/native-host/service/integrity/check.js';
import type { Connection } from '../../src/protocol/methods.js';

const NOW = '2025-01-02T03:04:05.000Z';
const row = (id: string, extra: Partial<Connection> = {}): Connection => ({
  id,
  exchange: 'binance',
  label: `label ${id}`,
  environment: 'live',
  mode: 'live',
  apiKeyHint: 'AAAA…ZZZZ',
  createdAt: '2024-06-01T00:00:00.000Z',
  needs: {},
  ...extra,
});
const META = {
  exchange: 'okx',
  label: 'OKX bot',
  environment: 'demo',
  endpoint: 'http://127.0.0.1:9/okx',
  createdAt: '2024-05-05T00:00:00.000Z',
  needs: { futures: true },
};

it('agrees when every secret has its row and every row its secret', () => {
  const r = checkConsistency({
    vault: [{ id: 'c_1', apiKey: 'KEY-0000000001', meta: metaOf(row('c_1')) }],
    rows: [row('c_1')],
    now: NOW,
  });
  expect(r).toEqual({ problems: [], plan: [] });
});

it('rebuilds a row from the vault’s record: dry-run, not audited, the key’s hint', () => {
  const r = checkConsistency({
    vault: [{ id: 'c_okx', apiKey: 'OKXKEY-0123-4567-89ab', meta: META }],
    rows: [],
    now: NOW,
  });
  expect(r.problems).toEqual([
    expect.objectContaining({
      kind: 'secret-without-connection',
      connectionId: 'c_okx',
      rebuilt: true,
    }),
  ]);
  expect(r.plan).toEqual([
    {
      kind: 'rebuild',
      connection: {
        id: 'c_okx',
        exchange: 'okx',
        label: 'OKX bot',
        environment: 'demo',
        endpoint: 'http://127.0.0.1:9/okx',
        mode: 'dry-run',
        apiKeyHint: 'OKXK…89ab',
        createdAt: '2024-05-05T00:00:00.000Z',
        needs: { futures: true },
      },
    },
  ]);
  expect(r.plan[0]).not.toHaveProperty('connection.lastAudit');
  // The problem's words hold the hint, never the key.
  expect(JSON.stringify(r)).not.toContain('OKXKEY-0123-4567-89ab');
});

it('reports a secret it cannot rebuild (no record of its exchange) without a plan step', () => {
  for (const meta of [undefined, { ...META, exchange: 'kraken' }, { ...META, environment: 'x' }]) {
    const r = checkConsistency({
      vault: [{ id: 'c_old', apiKey: 'LEGACYKEY-123456', meta }],
      rows: [],
      now: NOW,
    });
    expect(r.problems).toEqual([
      expect.objectContaining({
        kind: 'secret-without-connection',
        connectionId: 'c_old',
        rebuilt: false,
      }),
    ]);
    expect(r.plan).toEqual([]);
  }
});

it('pauses a row without a secret, once, and lifts that pause when the secret is back', () => {
  const first = checkConsistency({ vault: [], rows: [row('c_2')], now: NOW });
  expect(first.problems).toEqual([
    expect.objectContaining({ kind: 'connection-without-secret', connectionId: 'c_2' }),
  ]);
  expect(first.plan).toEqual([{ kind: 'mark-no-secret', id: 'c_2' }]);

  const marked = row('c_2', { pausedReason: NO_SECRET_REASON });
  const again = checkConsistency({ vault: [], rows: [marked], now: NOW });
  expect(again.problems).toHaveLength(1);
  expect(again.plan).toEqual([]);

  const back = checkConsistency({
    vault: [{ id: 'c_2', apiKey: 'KEY-0000000002', meta: metaOf(marked) }],
    rows: [marked],
    now: NOW,
  });
  expect(back).toEqual({ problems: [], plan: [{ kind: 'unmark-no-secret', id: 'c_2' }] });
});

it('asks to record the row in the vault when the vault entry has no record yet', () => {
  const r = checkConsistency({
    vault: [{ id: 'c_3', apiKey: 'KEY-0000000003' }],
    rows: [row('c_3', { endpoint: 'https://x.test' })],
    now: NOW,
  });
  expect(r.problems).toEqual([]);
  expect(r.plan).toEqual([
    {
      kind: 'record-meta',
      id: 'c_3',
      meta: {
        exchange: 'binance',
        label: 'label c_3',
        environment: 'live',
        endpoint: 'https://x.test',
        createdAt: '2024-06-01T00:00:00.000Z',
        needs: {},
      },
    },
  ]);
});

it('sorts a mixed state: one of each', () => {
  const r = checkConsistency({
    vault: [
      { id: 'c_ok', apiKey: 'KEY-0000000010', meta: metaOf(row('c_ok')) },
      { id: 'c_lost', apiKey: 'KEY-0000000011', meta: META },
    ],
    rows: [row('c_ok'), row('c_gone')],
    now: NOW,
  });
  expect(r.problems.map((p) => [p.kind, p.connectionId])).toEqual([
    ['secret-without-connection', 'c_lost'],
    ['connection-without-secret', 'c_gone'],
  ]);
  expect(r.plan.map((s) => s.kind)).toEqual(['rebuild', 'mark-no-secret']);
});

it('reads only a record it can trust', () => {
  expect(parseMeta(null)).toBeNull();
  expect(parseMeta({ ...META, label: '' })).toBeNull();
  expect(parseMeta({ ...META, needs: { futures: true, evil: 'x' } })).toEqual(META);
});
