/**
 * Keys born on this machine, through the real service, real ccxt and the simulator (which checks
 * Ed25519 and RSA-SHA256 signatures as Binance and Bybit document them): generate → register the
 * public key at the simulator (what the user pastes on the exchange) → connections.add {apiKey,
 * keyId}, audited → a live signal places exactly one order → rotate to a new generated key, the
 * old one deleted at the exchange → a signal still executes. A public key the exchange holds that
 * is not the generated one makes the audit fail with the plain message, and keeps the key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Scope } from '../../dev/harness/scope.js';
import { startTradingStack, type TradingStack } from '../../dev/harness/trading.js';
import { until } from '../../dev/harness/wait.js';
import { requireBuiltHost } from '../helpers/host.js';
import { marketSignal, SUBSCRIBER_TOKEN } from '../helpers/trading-rig.js';
import { RpcError } from '../../src/protocol/jsonrpc.js';
import type { Connection } from '../../src/protocol/methods.js';

const scope = new Scope('generated keys');
let stack: TradingStack;

beforeAll(async () => {
  requireBuiltHost();
  stack = await startTradingStack(scope, {
    kdf: 'insecure-test',
    logLevel: 'info',
    connect: false,
  });
}, 120_000);
afterAll(async () => {
  const problems = await scope.close();
  if (problems.length > 0) throw new Error(problems.join('; '));
});

type Generated = { keyId: string; algorithm: string; publicKeyPem: string };
type RpcFailure = { reason: string; message: string; data: Record<string, unknown> };

async function failure(p: Promise<unknown>): Promise<RpcFailure> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof RpcError)) throw err;
    return { reason: err.reason, message: err.message, data: err.details };
  }
  throw new Error('expected a failure');
}

/** What the user does on the exchange's page: create a key with the public key pasted in. */
function register(exchange: 'binance' | 'bybit', apiKey: string, publicKeyPem: string): void {
  stack.sim.addKey({
    exchange,
    apiKey,
    publicKeyPem,
    environment: 'live',
    permissions: { read: true, spot: true },
    ipList: [stack.sim.clientIp],
    createdAt: Date.now(),
    balances: { USDT: '100000', BTC: '10' },
  });
}

const placed = (exchange: 'binance' | 'bybit') =>
  stack.sim.orders(exchange).filter((o) => o.outcome === 'placed');

type History = { id: string; status: string; reason: string | null }[];
const outcome = (id: string) =>
  until(
    async () =>
      ((await stack.call('signals.history', { limit: 1000 })) as History).find(
        (s) => s.id === id && s.status !== 'pending',
      ),
    30_000,
    `signal ${id}`,
  );

it('OKX: not offered, said plainly', async () => {
  const e = await failure(stack.call('keys.generate', { exchange: 'okx' }));
  expect(e.reason).toBe('INVALID_PARAMS');
  expect(e.message).toMatch(/OKX offers no self-generated keys/);
});

describe.each([
  ['binance', 'ed25519'],
  ['bybit', 'rsa'],
] as const)('%s', (exchange, algorithm) => {
  const tag = exchange.toUpperCase();
  let connection: Connection;

  it('generate → register the public key → add {apiKey, keyId}: audited, the key attached', async () => {
    const g = (await stack.call('keys.generate', { exchange })) as Generated;
    expect(g.algorithm).toBe(algorithm);
    expect(g.keyId).toMatch(/^k_[A-Za-z0-9]{20}$/);
    expect(g.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(JSON.stringify(g)).not.toMatch(/PRIVATE KEY/);
    const listed = (await stack.call('keys.list')) as Record<string, unknown>[];
    expect(listed.find((k) => k.keyId === g.keyId)).toMatchObject({
      exchange,
      algorithm,
      publicKeyPem: g.publicKeyPem,
    });
    expect(JSON.stringify(listed)).not.toMatch(/PRIVATE KEY/);

    const apiKey = `${tag}GENKEY000000000001`;
    register(exchange, apiKey, g.publicKeyPem);
    // A secret and a keyId together: refused, saying which to give.
    const both = await failure(
      stack.call('connections.add', {
        exchange,
        label: `gen ${exchange}`,
        credentials: { apiKey, keyId: g.keyId, secret: 'abcdefgh12345678' },
      }),
    );
    expect(both.message).toMatch(/either keyId .* or secret, not both/);
    // A key id that does not exist: what to do next.
    const missing = await failure(
      stack.call('connections.add', {
        exchange,
        label: `gen ${exchange}`,
        credentials: { apiKey, keyId: 'k_0000000000000000000A' },
      }),
    );
    expect(missing.reason).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/Generate a new key/);

    const added = (await stack.call('connections.add', {
      exchange,
      label: `gen ${exchange}`,
      credentials: { apiKey, keyId: g.keyId },
    })) as { connection: Connection; audit: { verdict: string } };
    expect(added.audit.verdict).toBe('ok');
    connection = added.connection;
    // Attached: no longer listed, not attachable twice, not discardable.
    expect(
      ((await stack.call('keys.list')) as { keyId: string }[]).map((k) => k.keyId),
    ).not.toContain(g.keyId);
    const again = await failure(
      stack.call('connections.add', {
        exchange,
        label: 'twice',
        credentials: { apiKey: `${tag}GENKEY000000000009`, keyId: g.keyId },
      }),
    );
    expect(again.reason).toBe('NOT_FOUND');
    expect((await failure(stack.call('keys.discard', { keyId: g.keyId }))).reason).toBe(
      'NOT_FOUND',
    );
    // The simulator saw signatures of the right kind and accepted them.
    const signed = stack.sim.requests(exchange).filter((r) => r.apiKey === apiKey);
    expect(signed.length).toBeGreaterThan(0);
    expect(signed.every((r) => r.status === 200)).toBe(true);
  });

  it('a live signal places exactly one order with the generated key', async () => {
    await stack.call('connections.setMode', { id: connection.id, mode: 'live' });
    // One subscription at a time: another one would answer the same signal with no-route.
    for (const sub of (await stack.call('signals.list')) as { id: string }[])
      await stack.call('signals.unsubscribe', { id: sub.id });
    await until(() => stack.relay.connections().length === 0, 20_000, 'the old feed to close');
    await stack.call('signals.subscribe', {
      url: stack.relay.wsUrl,
      token: SUBSCRIBER_TOKEN,
      providerKey: stack.keys.publicKey,
      routes: [
        { strategy: `${exchange}-gen`, connectionId: connection.id, maxOrderQuote: '100000' },
      ],
    });
    await until(() => stack.relay.connections().length > 0, 20_000, 'the feed');
    const before = placed(exchange).length;
    const s = marketSignal(`${exchange}-gen`, { size: { quote: '50' } });
    await stack.publish(s);
    expect(await outcome(s.id as string)).toMatchObject({ status: 'executed' });
    await new Promise((r) => setTimeout(r, 500));
    expect(placed(exchange).length).toBe(before + 1);
    expect(placed(exchange).at(-1)?.apiKey).toBe(`${tag}GENKEY000000000001`);
  });

  it('rotate to a new generated key; the old one deleted at the exchange; signals still execute', async () => {
    const g2 = (await stack.call('keys.generate', { exchange })) as Generated;
    const apiKey2 = `${tag}GENKEY000000000002`;
    register(exchange, apiKey2, g2.publicKeyPem);
    const rotated = (await stack.call('connections.rotate', {
      id: connection.id,
      credentials: { apiKey: apiKey2, keyId: g2.keyId },
    })) as { connection: Connection; reminder: string };
    expect(rotated.connection.apiKeyHint).toBe(`${apiKey2.slice(0, 4)}…${apiKey2.slice(-4)}`);
    expect(rotated.reminder).toMatch(/delete the old key/);
    expect(
      ((await stack.call('keys.list')) as { keyId: string }[]).map((k) => k.keyId),
    ).not.toContain(g2.keyId);
    // The user deletes the old key on the exchange: the connection does not need it.
    stack.sim.removeKey(exchange, `${tag}GENKEY000000000001`);
    const before = placed(exchange).length;
    const s = marketSignal(`${exchange}-gen`, { size: { quote: '50' } });
    await stack.publish(s);
    expect(await outcome(s.id as string)).toMatchObject({ status: 'executed' });
    expect(placed(exchange).length).toBe(before + 1);
    expect(placed(exchange).at(-1)?.apiKey).toBe(apiKey2);
    expect(
      ((await stack.call('connections.audit', { id: connection.id })) as { verdict: string })
        .verdict,
    ).toBe('ok');
  });

  it('a public key at the exchange that is not the generated one: the audit fails plainly, the key is kept', async () => {
    const g3 = (await stack.call('keys.generate', { exchange })) as Generated;
    const pair =
      algorithm === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = { publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    const apiKey3 = `${tag}GENKEY000000000003`;
    register(exchange, apiKey3, other.publicKey);
    const e = await failure(
      stack.call('connections.add', {
        exchange,
        label: 'tampered',
        credentials: { apiKey: apiKey3, keyId: g3.keyId },
      }),
    );
    expect(e.reason).toBe('KEY_REJECTED');
    expect(e.data.kind).toBe('bad-signature');
    expect(e.message).toMatch(/is not the one Sentinel generated/);
    // The simulator answered with the exchange's own error.
    const last = stack.sim.requests(exchange).filter((r) => r.apiKey === apiKey3);
    expect(last.at(-1)?.code).toBe(exchange === 'binance' ? '-1022' : '10004');
    // Kept for another try, and discardable.
    expect(((await stack.call('keys.list')) as { keyId: string }[]).map((k) => k.keyId)).toContain(
      g3.keyId,
    );
    expect(await stack.call('keys.discard', { keyId: g3.keyId })).toEqual({});
    expect(
      ((await stack.call('keys.list')) as { keyId: string }[]).map((k) => k.keyId),
    ).not.toContain(g3.keyId);
  });
});

it('a key made for one exchange is refused for another', async () => {
  const g = (await stack.call('keys.generate', { exchange: 'bybit' })) as Generated;
  const e = await failure(
    stack.call('connections.add', {
      exchange: 'binance',
      label: 'mismatch',
      credentials: { apiKey: 'BINANCEMISMATCH0001', keyId: g.keyId },
    }),
  );
  expect(e.reason).toBe('INVALID_PARAMS');
  expect(e.message).toMatch(/was made for Bybit, not Binance/);
  await stack.call('keys.discard', { keyId: g.keyId });
});

it('CLI: keys generate prints the public key and where to paste it; connections add --key-id reads only the API key', async () => {
  const okx = await stack.cli(['keys', 'generate', '--exchange', 'okx']);
  expect(okx.code).toBe(1);
  expect(okx.stderr).toMatch(/OKX offers no self-generated keys/);

  const made = await stack.cli(['keys', 'generate', '--exchange', 'bybit']);
  expect(made.code, made.stderr).toBe(0);
  expect(made.stdout).toMatch(/-----BEGIN PUBLIC KEY-----/);
  expect(made.stdout).toMatch(/Self-generated API Keys/);
  expect(made.stdout).not.toMatch(/PRIVATE KEY/);
  const keyId = /connections add --exchange bybit --label "…" --key-id (k_\w+)/.exec(
    made.stdout,
  )?.[1];
  expect(keyId).toBeDefined();
  const listed = await stack.cli(['keys', 'list', '--json']);
  const pub = (JSON.parse(listed.stdout) as { keyId: string; publicKeyPem: string }[]).find(
    (k) => k.keyId === keyId,
  )?.publicKeyPem;
  expect(made.stdout).toContain(pub!.trimEnd());
  register('bybit', 'BYBITCLIKEY0000000001', pub!);

  // Only the API key on stdin: a second line would be a secret, and none is read.
  const added = await stack.cli(
    [
      'connections',
      'add',
      '--exchange',
      'bybit',
      '--label',
      'cli gen',
      '--key-id',
      keyId!,
      '--json',
    ],
    'BYBITCLIKEY0000000001\n',
  );
  expect(added.code, added.stderr).toBe(0);
  expect(JSON.parse(added.stdout)).toMatchObject({ audit: { verdict: 'ok' } });
  expect((await stack.cli(['keys', 'list'])).stdout).toMatch(/no generated keys waiting/);

  // discard
  const again = await stack.cli(['keys', 'generate', '--exchange', 'binance', '--json']);
  const id2 = (JSON.parse(again.stdout) as { keyId: string }).keyId;
  const discarded = await stack.cli(['keys', 'discard', id2]);
  expect(discarded.code, discarded.stderr).toBe(0);
  const gone = await stack.cli(['keys', 'discard', id2]);
  expect(gone.code).toBe(1);
  expect(gone.stderr).toMatch(/NOT_FOUND/);
});

it('locked: nothing is generated or listed', async () => {
  await stack.call('vault.lock');
  expect((await failure(stack.call('keys.generate', { exchange: 'binance' }))).reason).toBe(
    'VAULT_LOCKED',
  );
  expect((await failure(stack.call('keys.list'))).reason).toBe('VAULT_LOCKED');
});
