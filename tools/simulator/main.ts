/**
 * CLI: node dist/tools/simulator/main.js [--port 0] [--host 127.0.0.1] [--keys keys.json]
 *      [--client-ip 203.0.113.10]
 * Prints {"url": "http://127.0.0.1:PORT"} as one JSON line on stdout when ready; logs go to
 * stderr; SIGTERM/SIGINT stop it cleanly. keys.json: an array of key definitions (or {keys: [...]}).
 */
import { readFileSync } from 'node:fs';
import { startSimulator } from './server.js';
import type { SimKeyConfig } from './types.js';

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    out[name] = value;
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  for (const name of Object.keys(args))
    if (!['port', 'host', 'keys', 'client-ip'].includes(name))
      throw new Error(`unknown option --${name}`);
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
    clientIp: args['client-ip'],
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
  process.stderr.write(`simulator: ${(e as Error).message}\n`);
  process.exit(2);
});
