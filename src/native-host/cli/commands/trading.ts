/**
 * `sentinel-host signals …`, `orders`, `trading pause|resume`, `connections mode`: the headless
 * way to run the trading side. The relay token is read like a secret (terminal or stdin).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { asTyped, cliName } from '../command-name.js';
import { secretInput } from '../input.js';
import { callService } from '../../ipc/client.js';
import { hostPaths } from '../../paths.js';
import type { MethodName, ParamsOf, ResultOf } from '../../../protocol/methods.js';
import type { Route, Subscription } from '../../../protocol/trading.js';

const call = <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> =>
  callService(hostPaths(), method, params, { timeoutMs: 30_000 });
const out = (text: string): void => void process.stdout.write(`${text}\n`);
const usage = (text: string): number => {
  process.stderr.write(`usage: ${text}\n`);
  return 2;
};

/** How long `signals subscribe` waits for the feed to connect before warning (exit stays 0). */
const FEED_WAIT_MS = 5_000;

async function waitForFeed(id: string, ms: number): Promise<Subscription['feed']> {
  const until = Date.now() + ms;
  let feed: Subscription['feed'] = { state: 'connecting' };
  for (;;) {
    const found = (await call('signals.list', {})).find((x) => x.id === id);
    if (found) feed = found.feed;
    if (feed.state === 'connected' || Date.now() >= until) return feed;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function runSignalsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const json = rest.includes('--json');
  switch (sub) {
    case 'list': {
      const subs = await call('signals.list', {});
      if (json) out(JSON.stringify(subs));
      else if (subs.length === 0) out('no subscriptions yet');
      else
        for (const s of subs) {
          out(
            `${s.id}  ${s.url}  feed: ${s.feed.state}${s.feed.problem ? ` (${asTyped(s.feed.problem)})` : ''}`,
          );
          for (const r of s.routes)
            out(`    ${r.strategy} → ${r.connectionId} (max ${r.maxOrderQuote} per order)`);
        }
      return 0;
    }
    case 'history': {
      const list = await call('signals.history', { limit: 50 });
      if (json) out(JSON.stringify(list));
      else if (list.length === 0) out('no signals received yet');
      else
        for (const s of list)
          out(
            `${s.receivedAt}  ${s.id}  ${s.strategy}  ${s.status}${s.reason ? ` (${s.reason})` : ''}`,
          );
      return 0;
    }
    case 'subscribe': {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: {
          url: { type: 'string' },
          'provider-key': { type: 'string' },
          routes: { type: 'string' },
          'routes-file': { type: 'string' },
          json: { type: 'boolean' },
        },
      });
      const routesText =
        values.routes ??
        (values['routes-file'] ? readFileSync(values['routes-file'], 'utf8') : undefined);
      if (!values.url || !values['provider-key'] || !routesText) {
        return usage(
          `${cliName()} signals subscribe --url wss://relay/feed --provider-key KEY (--routes JSON | --routes-file FILE)\n` +
            '  routes: [{"strategy":"btc-trend","connectionId":"c_…","maxOrderQuote":"50","maxDailyQuote":"500"}]\n' +
            '  The relay token is then read from the terminal (hidden) or stdin.',
        );
      }
      let routes: unknown;
      try {
        routes = JSON.parse(routesText);
      } catch {
        process.stderr.write('routes are not valid JSON\n');
        return 2;
      }
      const input = secretInput();
      try {
        const token = (await input.ask('Relay token: ', { hidden: true })).trim();
        const s = await call('signals.subscribe', {
          url: values.url,
          token,
          providerKey: values['provider-key'],
          routes: routes as Route[], // as the user wrote them: the service checks each field
        });
        // The service keeps the subscription whatever the relay does: see whether the feed comes up.
        const feed = await waitForFeed(s.id, FEED_WAIT_MS);
        if (values.json) out(JSON.stringify({ ...s, feed }));
        else
          out(
            `subscribed ${s.id} (${s.routes.length} routes). Connections start in dry-run: switch one live with "${cliName()} connections mode ID live".`,
          );
        if (feed.state !== 'connected') {
          const why = feed.problem ? `: ${asTyped(feed.problem)}` : ` (feed ${feed.state})`;
          process.stderr.write(
            `warning: the relay ${values.url} could not be reached within ${FEED_WAIT_MS / 1000} s${why}\n` +
              `The subscription is kept and keeps retrying; check it with "${cliName()} signals list", or remove it with "${cliName()} signals unsubscribe ${s.id}".\n`,
          );
        }
        return 0;
      } finally {
        input.close();
      }
    }
    case 'unsubscribe': {
      const [id] = rest;
      if (!id) return usage(`${cliName()} signals unsubscribe ID`);
      await call('signals.unsubscribe', { id });
      out(`unsubscribed ${id}`);
      return 0;
    }
    default:
      return usage(`${cliName()} signals list|history|subscribe|unsubscribe`);
  }
}

export async function runOrdersCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      limit: { type: 'string' },
      connection: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const limit = values.limit ? Number(values.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1)
    return usage(`${cliName()} orders [--limit N] [--connection ID] [--json]`);
  const orders = await call('orders.list', {
    limit,
    ...(values.connection ? { connectionId: values.connection } : {}),
  });
  if (values.json) out(JSON.stringify(orders));
  else if (orders.length === 0) out('no orders yet');
  else
    for (const o of orders) {
      out(
        `${o.createdAt}  ${o.connectionId}  ${o.mode.padEnd(7)} ${o.state.padEnd(9)} ${o.side} ${o.size ?? o.amount} ${o.symbol} (${o.quote})${o.error ? `  ${o.error}` : ''}`,
      );
    }
  return 0;
}

export async function runTradingCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'pause') {
    const r = await call('trading.pause', rest.length ? { reason: rest.join(' ') } : {});
    out(`trading paused: no signal will execute until "${cliName()} trading resume"`);
    // The switch holds even when it could not be saved: say so, with what to do.
    if (r.saved === false)
      process.stderr.write(`warning: ${r.warning ?? 'the pause was not saved'}\n`);
    return 0;
  }
  if (sub === 'resume') {
    const r = await call('trading.resume', {});
    out('trading resumed');
    if (r.saved === false)
      process.stderr.write(`warning: ${r.warning ?? 'the resume was not saved'}\n`);
    return 0;
  }
  return usage(`${cliName()} trading pause [REASON] | resume`);
}

export async function runModeCommand(args: string[]): Promise<number> {
  const [id, mode, ...rest] = args;
  if (!id || (mode !== 'live' && mode !== 'dry-run'))
    return usage(`${cliName()} connections mode ID live|dry-run [--yes]`);
  if (mode === 'live' && !rest.includes('--yes')) {
    if (!process.stdin.isTTY) {
      process.stderr.write('switching to live sends real orders: add --yes to confirm\n');
      return 2;
    }
    const input = secretInput();
    try {
      const answer = await input.ask(
        `Connection ${id} will send REAL orders to the exchange. Type "live" to confirm: `,
      );
      if (answer.trim() !== 'live') {
        out('not changed');
        return 1;
      }
    } finally {
      input.close();
    }
  }
  const c = await call('connections.setMode', { id, mode });
  out(`${c.id} is now ${c.mode}`);
  return 0;
}
