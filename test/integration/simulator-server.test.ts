/** The simulator's server: public-IP stand-in, control API, logging, shutdown, and the CLI. */
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSimulator, type Simulator } from '../../tools/simulator/index.js';
import { ccxtFor, failure, raw, tradeKey } from '../helpers/simulator.js';

const ROOT = resolve(import.meta.dirname, '../..');
const KEY = tradeKey('okx', 'okServerKey1');

describe('simulator server', () => {
  let sim: Simulator;
  const lines: string[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ keys: [KEY], log: (l) => lines.push(l) });
  });
  afterAll(() => sim.close());

  it('answers the public-IP stand-in as text and JSON', async () => {
    expect((await raw(`${sim.url}/ip`)).text).toBe('203.0.113.10');
    expect((await raw(`${sim.url}/ip.json`)).body).toEqual({ ip: '203.0.113.10' });
    expect((await raw(`${sim.url}/nowhere`)).status).toBe(404);
  });

  it('is driven through /_sim/: keys, prices, client IP, faults, records, reset', async () => {
    const post = (path: string, body: unknown) =>
      raw(`${sim.url}/_sim/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const added = tradeKey('binance', 'bnControl01');
    expect((await post('keys', added)).status).toBe(201);
    const listed = (await raw(`${sim.url}/_sim/keys?exchange=binance`)).body as Record<
      string,
      unknown
    >[];
    expect(listed).toMatchObject([{ apiKey: 'bnControl01', exchange: 'binance' }]);
    expect(JSON.stringify(listed)).not.toContain(added.secret);
    expect((await post('keys', { exchange: 'binance' })).status).toBe(400);
    await post('prices', { exchange: 'binance', symbol: 'BTC/USDT', price: '70000' });
    expect(sim.price('binance', 'BTC/USDT')).toBe('70000');
    expect(sim.price('okx', 'BTC/USDT')).toBe('65000');
    await post('client-ip', { ip: '198.51.100.9' });
    expect((await raw(`${sim.url}/ip`)).text).toBe('198.51.100.9');
    await post('client-ip', { ip: '203.0.113.10' });
    await post('faults', { exchange: 'binance', rateLimit: 1 });
    expect((await raw(`${sim.url}/_sim/faults?exchange=binance`)).body).toEqual({ rateLimit: 1 });
    expect((await raw(`${sim.endpoint('binance')}/api/v3/ping`)).status).toBe(429);
    expect((await raw(`${sim.endpoint('binance')}/api/v3/ping`)).status).toBe(200);
    expect((await post('faults', { exchange: 'binance', bogus: 1 })).status).toBe(400);
    const requests = (await raw(`${sim.url}/_sim/requests?exchange=binance`)).body as {
      code: string;
    }[];
    expect(requests.map((r) => r.code)).toEqual(['-1003', '0']);
    expect((await post('reset', {})).status).toBe(200);
    expect((await raw(`${sim.url}/_sim/requests`)).body).toEqual([]);
    expect(sim.price('binance', 'BTC/USDT')).toBe('65000');
    expect((await raw(`${sim.url}/_sim/keys?exchange=binance`)).body).toHaveLength(1); // reset keeps keys
    expect((await raw(`${sim.url}/_sim/nope`)).status).toBe(404);
  });

  it('records orders placed through HTTP and shows them in /_sim/orders and /_sim/book', async () => {
    const ts = new Date().toISOString();
    const body = JSON.stringify({
      instId: 'BTC-USDT',
      tdMode: 'cash',
      side: 'buy',
      ordType: 'market',
      sz: '0.001',
      tgtCcy: 'base_ccy',
      clOrdId: 'ctl1',
    });
    const sign = createHmac('sha256', KEY.secret)
      .update(`${ts}POST/api/v5/trade/order${body}`)
      .digest('base64');
    const res = await raw(`${sim.endpoint('okx')}/api/v5/trade/order`, {
      method: 'POST',
      headers: {
        'OK-ACCESS-KEY': KEY.apiKey,
        'OK-ACCESS-SIGN': sign,
        'OK-ACCESS-TIMESTAMP': ts,
        'OK-ACCESS-PASSPHRASE': KEY.passphrase as string,
        'content-type': 'application/json',
      },
      body,
    });
    expect(res.body).toMatchObject({ code: '0' });
    expect((await raw(`${sim.url}/_sim/orders?exchange=okx`)).body).toMatchObject([
      { clientOrderId: 'ctl1', outcome: 'placed' },
    ]);
    expect((await raw(`${sim.url}/_sim/book?exchange=okx`)).body).toMatchObject([
      { clientOrderId: 'ctl1', status: 'filled', filledQty: '0.001' },
    ]);
    const balances = (await raw(`${sim.url}/_sim/balances?exchange=okx&account=${KEY.apiKey}`))
      .body as Record<string, { total: string }>;
    expect(balances['BTC']?.total).toBe('0.500999'); // 0.001 bought, 0.1 % fee in BTC
    expect(balances['USDT']?.total).toBe('9935');
  });

  it("refuses expired keys with each exchange's code, and follows the clock offset", async () => {
    const expired = { expiresAt: Date.now() - 1000 };
    const keys = [
      tradeKey('binance', 'bnExpired1', expired),
      tradeKey('bybit', 'byExpired1', expired),
      tradeKey('okx', 'okExpired1', expired),
    ];
    for (const k of keys) sim.addKey(k);
    const codes = await Promise.all(
      keys.map(async (k) => (await failure(ccxtFor(sim, k).fetchBalance())).message),
    );
    expect(codes[0]).toContain('"code":-2015');
    expect(codes[1]).toContain('"retCode":33004');
    expect(codes[2]).toContain('"code":"50111"');
    // A server clock a minute ahead makes a correct request stale (OKX allows 30 s).
    sim.setClockOffset(60_000);
    const skewed = await failure(ccxtFor(sim, tradeKey('okx', 'okServerKey1')).fetchBalance());
    expect(skewed.message).toContain('"code":"50102"');
    sim.setClockOffset(0);
  });

  it('never logs a secret or passphrase', () => {
    const log = lines.join('\n');
    expect(log).toContain('okx POST /api/v5/trade/order');
    expect(log).not.toContain(KEY.secret);
    expect(log).not.toContain(KEY.passphrase as string);
  });

  it('close() ends connections held by a timeout fault', async () => {
    const other = await startSimulator({ keys: [KEY] });
    other.setFault('okx', { timeoutNotPlaced: 1 });
    const ts = new Date().toISOString();
    const body = JSON.stringify({
      instId: 'BTC-USDT',
      tdMode: 'cash',
      side: 'buy',
      ordType: 'limit',
      px: '1000',
      sz: '0.001',
    });
    const sign = createHmac('sha256', KEY.secret)
      .update(`${ts}POST/api/v5/trade/order${body}`)
      .digest('base64');
    const pending = fetch(`${other.endpoint('okx')}/api/v5/trade/order`, {
      method: 'POST',
      headers: {
        'OK-ACCESS-KEY': KEY.apiKey,
        'OK-ACCESS-SIGN': sign,
        'OK-ACCESS-TIMESTAMP': ts,
        'OK-ACCESS-PASSPHRASE': KEY.passphrase as string,
      },
      body,
    });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await other.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
    expect(other.orders('okx')).toMatchObject([{ outcome: 'dropped', fault: 'timeoutNotPlaced' }]);
  });
});

describe('simulator CLI', () => {
  let dir: string;
  let script: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'simcli-'));
    script = join(ROOT, 'dist/tools/simulator/main.js');
    if (!existsSync(script))
      throw new Error(`${script} is missing: run "npm run build" (npm test does it first)`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help prints the usage with an example (exit 0); an unknown option says how to get it (exit 2)', () => {
    const help = spawnSync(process.execPath, [script, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run simulator -- /);
    expect(help.stdout).toContain('Example: ');
    const bad = spawnSync(process.execPath, [script, '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--bogus'");
    expect(bad.stderr).toContain('--help');
  });

  it('prints {"url"} when ready, serves the given keys, and stops cleanly on SIGTERM', async () => {
    const keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify([tradeKey('bybit', 'cliKey01')]));
    const child = spawn(process.execPath, [script, '--port', '0', '--keys', keysFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const url = await new Promise<string>((resolveUrl, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const line = stdout.split('\n')[0];
        if (stdout.includes('\n') && line) resolveUrl((JSON.parse(line) as { url: string }).url);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await raw(`${url}/_sim/keys`)).body).toMatchObject([{ apiKey: 'cliKey01' }]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('SIGTERM');
    expect(stderr).not.toContain('cliKey01-secret');
  });
});
