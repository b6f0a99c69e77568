/**
 * CLI: node dist/tools/simulator/main.js [--port 0] [--host 127.0.0.1] [--keys keys.json]
 *      [--client-ip 203.0.113.10]
 * Prints {"url": "http://127.0.0.1:PORT"} as one JSON line on stdout when ready; logs go to
 * stderr; SIGTERM/SIGINT stop it cleanly. keys.json: an array of key definitions (or {keys: [...]}).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSimulator } from './server.js';
import type { SimKeyConfig } from './types.js';
import { errorMessage } from '../../src/lib/error-text.js';

const USAGE = `Usage: npm run simulator -- [--port 0] [--host 127.0.0.1] [--keys keys.json] [--client-ip IP]

A local stand-in for the Binance, Bybit and OKX REST APIs (fake keys only). Prints
{"url": "http://127.0.0.1:PORT"} when ready; the control API is under /_sim/ (keys, prices,
faults, records). Ctrl-C stops it.

  --port N          port to listen on (0, the default, picks a free one)
  --host H          address to listen on (default 127.0.0.1)
  --keys FILE       JSON array of key definitions (or {"keys": [...]}) to start with
  --client-ip IP    the client IP the simulated exchanges see (default 203.0.113.10)
  --help            this text

Example: npm run simulator -- --port 8700 --keys ./sim-keys.json`;

async function main(): Promise<void> {
  // node:util's parser: unknown options, missing values and stray arguments are refused.
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      keys: { type: 'string' },
      'client-ip': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { help: _help, ...args } = values;
  let keys: SimKeyConfig[] = [];
  if (args['keys']) {
    const parsed = JSON.parse(readFileSync(args['keys'], 'utf8')) as
      SimKeyConfig[] | { keys: SimKeyConfig[] };
    keys = Array.isArray(parsed) ? parsed : parsed.keys;
  }
  const port = Number(args['port'] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error('--port must be 0..65535');
  const sim = await startSimulator({
    port,
    host: args['host'] ?? '127.0.0.1',
    ...(args['client-ip'] !== undefined ? { clientIp: args['client-ip'] } : {}),
    keys,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify({ url: sim.url })}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`simulator: ${signal}, stopping\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`simulator: ${errorMessage(e)}\nRun with --help for the options.\n`);
  process.exit(2);
});
