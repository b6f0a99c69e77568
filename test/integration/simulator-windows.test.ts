/**
 * Request windows checked when an order request is PROCESSED, through ccxt: Binance recvWindow,
 * Bybit X-BAPI-RECV-WINDOW, OKX's expTime header and its 30 s OK-ACCESS-TIMESTAMP bound. The
 * processDelay fault holds an order request in the exchange before it is processed; a request
 * delayed past its window is refused and nothing is placed.
 */
import ccxt, { type Exchange } from 'ccxt';
import {
  ccxtFor,
  failure,
  startTestSimulator,
  tradeKey,
  type Simulator,
} from '../helpers/simulator.js';

const BN = tradeKey('binance', 'bnWindowKey01');
const BY = tradeKey('bybit', 'byWindowKey01');
const OK = tradeKey('okx', 'okWindowKey01');

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator([BN, BY, OK]);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const buy = (ex: Exchange, id: string) =>
  ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: id });

async function ready(key: typeof BN, recvWindow?: number, timeout?: number): Promise<Exchange> {
  const ex = ccxtFor(sim, key, timeout ? { timeout } : {});
  if (recvWindow !== undefined) ex.options['recvWindow'] = recvWindow;
  await ex.loadMarkets();
  return ex;
}

describe('Binance recvWindow at processing', () => {
  it('a request processed within its recvWindow is placed, and recorded as delayed', async () => {
    const ex = await ready(BN, 5000);
    sim.setFault('binance', { processDelay: 1, processDelayMs: 250 });
    const t0 = Date.now();
    await buy(ex, 'pdA1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    expect(sim.orders('binance')).toMatchObject([
      { clientOrderId: 'pdA1', outcome: 'placed', fault: 'processDelay', processDelayMs: 250 },
    ]);
    // Counted: the next order is not delayed and carries no fault.
    await buy(ex, 'pdA2');
    expect(sim.orders('binance')[1]).toMatchObject({ clientOrderId: 'pdA2', outcome: 'placed' });
    expect(sim.orders('binance')[1]?.fault).toBeUndefined();
  });

  it('a request delayed past its recvWindow is refused with -1021 and nothing is placed', async () => {
    const ex = await ready(BN, 300);
    sim.setFault('binance', { processDelay: 1, processDelayMs: 500 });
    const err = await failure(buy(ex, 'pdA3'));
    expect(err.message).toContain(
      '{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}',
    );
    expect(sim.book('binance')).toEqual([]);
    expect(sim.orders('binance')).toMatchObject([
      { clientOrderId: 'pdA3', outcome: 'rejected', code: '-1021', fault: 'processDelay' },
    ]);
  });

  it('keeps processing after the client gave up: its timeout proves nothing', async () => {
    const ex = await ready(BN, 5000, 200);
    sim.setFault('binance', { processDelay: 1, processDelayMs: 400 });
    const err = await failure(buy(ex, 'pdA4'));
    expect(err).toBeInstanceOf(ccxt.RequestTimeout);
    expect(sim.book('binance')).toEqual([]); // not processed yet
    await sleep(300);
    expect(sim.book('binance')).toMatchObject([{ clientOrderId: 'pdA4', status: 'filled' }]);
    expect(sim.orders('binance')).toMatchObject([{ outcome: 'placed', fault: 'processDelay' }]);
  });
});

describe('Bybit X-BAPI-RECV-WINDOW at processing', () => {
  it('placed within the window, refused with 10002 beyond it', async () => {
    const ex = await ready(BY, 5000);
    sim.setFault('bybit', { processDelay: 1, processDelayMs: 200 });
    await buy(ex, 'pdB1');
    ex.options['recvWindow'] = 300;
    sim.setFault('bybit', { processDelay: 1, processDelayMs: 500 });
    const err = await failure(buy(ex, 'pdB2'));
    expect(err.message).toContain('"retCode":10002');
    expect(sim.orders('bybit')).toMatchObject([
      { clientOrderId: 'pdB1', outcome: 'placed', fault: 'processDelay' },
      { clientOrderId: 'pdB2', outcome: 'rejected', code: '10002', fault: 'processDelay' },
    ]);
    expect(sim.book('bybit').map((o) => o.clientOrderId)).toEqual(['pdB1']);
  });
});

describe('OKX expTime and OK-ACCESS-TIMESTAMP at processing', () => {
  const withExpTime = (ex: Exchange, expTime: number) => {
    ex.headers = { ...ex.headers, expTime: String(expTime) };
  };

  it('an expTime already passed on arrival: sCode 50036, nothing placed', async () => {
    const ex = await ready(OK);
    withExpTime(ex, Date.now() - 1000);
    const err = await failure(buy(ex, 'pdC1'));
    expect(err.message).toContain('"code":"1"');
    expect(err.message).toContain('"sCode":"50036"');
    expect(sim.book('okx')).toEqual([]);
    expect(sim.orders('okx')).toMatchObject([
      { clientOrderId: 'pdC1', outcome: 'rejected', code: '50036' },
    ]);
  });

  it('an expTime passed while the request waited: sCode 50037 "Order expired.", nothing placed', async () => {
    const ex = await ready(OK);
    withExpTime(ex, Date.now() + 300);
    sim.setFault('okx', { processDelay: 1, processDelayMs: 600 });
    const err = await failure(buy(ex, 'pdC2'));
    expect(err.message).toContain('"sCode":"50037","sMsg":"Order expired."');
    expect(sim.book('okx')).toEqual([]);
    expect(sim.orders('okx')).toMatchObject([
      { clientOrderId: 'pdC2', outcome: 'rejected', code: '50037', fault: 'processDelay' },
    ]);
  });

  it('processed before expTime: placed', async () => {
    const ex = await ready(OK);
    withExpTime(ex, Date.now() + 5000);
    sim.setFault('okx', { processDelay: 1, processDelayMs: 200 });
    await buy(ex, 'pdC3');
    expect(sim.orders('okx')).toMatchObject([
      { clientOrderId: 'pdC3', outcome: 'placed', fault: 'processDelay', processDelayMs: 200 },
    ]);
  });

  it('an OK-ACCESS-TIMESTAMP more than 30 s old at processing: 50102, nothing placed', async () => {
    const ex = await ready(OK);
    sim.setFault('okx', { processDelay: 1, processDelayMs: 300 });
    const pending = failure(buy(ex, 'pdC4'));
    await sleep(100);
    sim.setClockOffset(40_000); // 40 s pass on the exchange while the request waits
    const err = await pending;
    expect(err.message).toContain('"code":"50102"');
    expect(sim.book('okx')).toEqual([]);
    expect(sim.orders('okx')).toMatchObject([
      { clientOrderId: 'pdC4', outcome: 'rejected', code: '50102', fault: 'processDelay' },
    ]);
  });
});
