/**
 * The ground-truth audit of a key: ask the exchange what the key can do (its key-info endpoint),
 * check it can read (balance) and — where the exchange has a no-op order check — trade, then apply
 * the golden rules (src/exchanges/policy.ts). What the page looked like does not count.
 */
import type { Exchange } from 'ccxt';
import { auditKey, profileFor, worstLevel } from '../../../exchanges/index.js';
import type {
  Audit,
  AuditCheck,
  Environment,
  ExchangeId,
  KeyInfoResult,
  Needs,
} from '../../../exchanges/types.js';
import { RpcError } from '../../../protocol/jsonrpc.js';
import {
  binanceFilterFailure,
  planBinanceTestOrder,
  TEST_ORDER_SYMBOL,
  type TestOrderPlan,
} from './binance-test-order.js';
import { exchangeCodeOf, explainCcxtError, keyCheckError } from './exchange-error.js';

export interface KeyAuditInput {
  exchange: ExchangeId;
  environment: Environment;
  endpoint?: string;
  needs: Needs;
  /** This machine's public IP (network.publicIp); null when unknown. */
  thisMachineIp: string | null;
  now?: Date;
}

export interface KeyAuditResult {
  audit: Audit;
  /** ms since epoch, when the exchange told the key's creation date. */
  keyCreatedAt?: number;
}

/** The implicit ccxt method (one request) that returns the key's own description. */
const KEY_INFO_CALL: Record<ExchangeId, string> = {
  binance: 'sapiGetAccountApiRestrictions',
  bybit: 'privateGetV5UserQueryApi',
  okx: 'privateGetAccountConfig',
};

const BINANCE_TESTNET_NOTE =
  "Binance's spot testnet serves no /sapi endpoints, so this key's permissions (withdrawals included) cannot be read there. Check them yourself on the testnet's API page.";

async function callImplicit(
  client: Exchange,
  method: string,
  params: Record<string, unknown> = {},
): Promise<unknown> {
  const fn = (client as unknown as Record<string, unknown>)[method];
  if (typeof fn !== 'function') throw new Error(`ccxt ${client.id} has no method ${method}`);
  return (fn as (p: Record<string, unknown>) => Promise<unknown>).call(client, params);
}

/**
 * Until one signed request has succeeded, an auth error means the exchange rejects the key
 * itself (wrong secret, IP, passphrase…): that is KEY_REJECTED with what to do. Network trouble is
 * EXCHANGE_UNREACHABLE. Otherwise the failure becomes a check, described in plain words.
 */
function describeFailure(input: KeyAuditInput, err: unknown, anySuccess: boolean): string {
  const rpc = keyCheckError(input.exchange, err, input.endpoint);
  if (rpc && (!anySuccess || rpc.reason === 'EXCHANGE_UNREACHABLE')) throw rpc;
  const explained = explainCcxtError(input.exchange, err);
  return explained
    ? explained.message
    : `the exchange's answer could not be used (${err instanceof Error ? err.constructor.name : 'error'})`;
}

export async function auditKeyWith(
  client: Exchange,
  input: KeyAuditInput,
): Promise<KeyAuditResult> {
  const now = input.now ?? new Date();
  const profile = profileFor(input.exchange);
  let keyInfo: KeyInfoResult;
  let couldNotVerify: string | undefined;
  let succeeded = false;

  if (input.exchange === 'binance' && input.environment === 'testnet') {
    couldNotVerify = BINANCE_TESTNET_NOTE;
    keyInfo = { ok: false, problem: BINANCE_TESTNET_NOTE };
  } else {
    try {
      const answer = await callImplicit(client, KEY_INFO_CALL[input.exchange]);
      succeeded = true;
      keyInfo = profile.parseKeyInfo(answer);
    } catch (err) {
      const why = describeFailure(input, err, succeeded);
      keyInfo = { ok: false, problem: `${profile.name} did not describe this key: ${why}` };
    }
  }

  const extra: AuditCheck[] = [];
  // Read check: the balance, which the bot needs before every sized order.
  try {
    await client.fetchBalance();
    succeeded = true;
    extra.push({
      id: 'read-check',
      level: 'ok',
      message: `${profile.name} showed this key the account balance.`,
    });
  } catch (err) {
    const why = describeFailure(input, err, succeeded);
    extra.push({
      id: 'read-check',
      level: 'block',
      message: `${profile.name} refused to show the balance to this key: ${why}`,
    });
  }
  // Trade check that places nothing: Binance validates an order without sending it to the book.
  if (input.exchange === 'binance' && keyInfo.ok)
    extra.push(await binanceTradeCheck(client, input, succeeded));

  const audit = auditKey({
    exchange: input.exchange,
    keyInfo,
    needs: input.needs,
    thisMachineIp: input.thisMachineIp,
    requestSucceededFromThisMachine: succeeded,
    now,
    environment: input.environment,
    ...(couldNotVerify ? { couldNotVerify } : {}),
  });
  const checks = [...audit.checks, ...extra];
  return {
    audit: { ...audit, checks, verdict: worstLevel(checks) },
    ...(keyInfo.ok && keyInfo.info.createdAt !== undefined
      ? { keyCreatedAt: keyInfo.info.createdAt }
      : {}),
  };
}

/**
 * POST /api/v3/order/test with a limit buy priced from the market (binance-test-order.ts), so it
 * passes every filter. Binance checks the key's permission before any filter (FACTS.md: -2015
 * comes first), so once a signed request has succeeded, a filter failure still proves that the
 * key may trade: only the test order's price or size was refused.
 */
async function binanceTradeCheck(
  client: Exchange,
  input: KeyAuditInput,
  succeeded: boolean,
): Promise<AuditCheck> {
  let plan: TestOrderPlan;
  try {
    await client.loadMarkets(); // already loaded by fetchBalance: no request then
    const filters = (client.market(TEST_ORDER_SYMBOL.unified).info as { filters?: unknown })
      .filters;
    const avg = (await callImplicit(client, 'publicGetAvgPrice', {
      symbol: TEST_ORDER_SYMBOL.id,
    })) as { price?: unknown } | undefined;
    plan = planBinanceTestOrder(TEST_ORDER_SYMBOL.id, filters, avg?.price);
  } catch (err) {
    plan = { ok: false, problem: describeFailure(input, err, succeeded) };
  }
  if (!plan.ok) {
    return {
      id: 'trade-check',
      level: 'warn',
      message: `Sentinel could not prepare a test order to confirm that Binance lets this key trade (${plan.problem}). Nothing was placed. Audit the key again in a few minutes; until then only the key's own description vouches for trading.`,
    };
  }
  try {
    await callImplicit(client, 'privatePostOrderTest', { ...plan.params });
    return {
      id: 'trade-check',
      level: 'ok',
      message: 'Binance accepted a test order from this key (nothing was placed).',
    };
  } catch (err) {
    const filter = succeeded ? binanceFilterFailure(err, exchangeCodeOf(err)?.code) : null;
    if (filter) {
      return {
        id: 'trade-check',
        level: 'ok',
        message: `Binance refused only the test order's price or size (filter failure: ${filter}), which it checks after the key's permission to trade: so this key may trade. Nothing was placed.`,
      };
    }
    const why = describeFailure(input, err, succeeded);
    return {
      id: 'trade-check',
      level: 'block',
      message: `Binance refused a test order from this key: ${why}`,
    };
  }
}

/** KEY_UNSAFE carries the audit so the UI can show each check; nothing has been stored. */
export function unsafeKeyError(audit: Audit): RpcError {
  const blocking = audit.checks.filter((c) => c.level === 'block').map((c) => c.message);
  return new RpcError(
    'KEY_UNSAFE',
    `this key is not safe to use, so it was not stored: ${blocking.join(' ')}`,
    { audit },
  );
}
