/**
 * `npm run bench`: speed and memory of the real pieces, each next to a baseline measured in the
 * same run, written to bench-results/latest.json and latest.md and printed as a Markdown table.
 * Goals live here, as ratios, never as timed unit tests. docs/benchmarks.md explains each row.
 *
 *   node dist/dev/bench/main.js [--only 1,3,6]
 *
 * Needs the build (dist/host, dist/extension); row 3 needs Chromium (else it says so). Loopback
 * only; every measurement runs in fresh temp homes and stops what it started, even on failure.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bridgeStart } from './bridge-start.js';
import { CLI, ROOT, Scope, withTimeout } from './common.js';
import { extensionSize } from './extension-size.js';
import { Skip, type Measurement } from './measurement.js';
import { popupRoundTrip } from './popup-roundtrip.js';
import { relayFanout } from './relay-fanout.js';
import { machine, markdown, type MeasurementResult } from './report.js';
import { serviceRss } from './service-rss.js';
import { signalLatency } from './signal-latency.js';
import { vaultUnlock } from './vault-unlock.js';
import { errorDetail, errorMessage } from '../../src/lib/error-text.js';

const OUT_DIR = join(ROOT, 'bench-results');
let stopping = false;

const MEASUREMENTS: Measurement[] = [
  signalLatency(210, 60, 3000),
  bridgeStart(30),
  popupRoundTrip(200),
  serviceRss(),
  vaultUnlock(7, 30),
  extensionSize(),
  relayFanout(40),
];

const USAGE = `usage: node dist/dev/bench/main.js [--only ID[,ID…]]
  --only   run only these measurements (${MEASUREMENTS.map((m) => m.id).join(', ')}); all by default
  --help   this text`;

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function runOne(m: Measurement): Promise<MeasurementResult> {
  const scope = new Scope(m.id);
  const started = performance.now();
  log(`${m.id}. ${m.title}…`);
  const result: MeasurementResult = {
    id: m.id,
    title: m.title,
    status: 'ok',
    durationMs: 0,
    rows: [],
    notes: [],
    cleanupProblems: [],
    details: {},
  };
  try {
    const out = await withTimeout(
      m.run(scope, (line) => log(`${m.id}. ${line}`)),
      m.timeoutMs,
      m.title,
    );
    result.rows = out.rows;
    result.notes = out.notes ?? [];
    result.details = out.details ?? {};
  } catch (e) {
    result.status = e instanceof Skip ? 'skipped' : 'failed';
    result.reason = errorMessage(e);
    if (stopping) log(`${m.id}. interrupted`);
    else if (result.status === 'failed') log(`${m.id}. FAILED: ${errorDetail(e)}`);
    else log(`${m.id}. not measured: ${result.reason}`);
  } finally {
    result.cleanupProblems = await scope.close();
    for (const p of result.cleanupProblems) log(`${m.id}. cleanup: ${p}`);
  }
  result.durationMs = Math.round(performance.now() - started);
  log(`${m.id}. ${result.status} in ${(result.durationMs / 1000).toFixed(1)} s`);
  return result;
}

async function main(argv: string[]): Promise<number> {
  let values: { only?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (e) {
    log(`${errorMessage(e)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const only =
    values.only !== undefined ? new Set(values.only.split(',').map((s) => s.trim())) : null;
  const unknown = [...(only ?? [])].filter((id) => !MEASUREMENTS.some((m) => m.id === id));
  if (unknown.length > 0) {
    log(
      `no measurement ${unknown.join(', ')}: pick from ${MEASUREMENTS.map((m) => m.id).join(', ')}`,
    );
    return 2;
  }
  if (!existsSync(CLI)) {
    log(`${CLI} is missing: run "npm run build" first (npm run bench does)`);
    return 2;
  }
  const env = machine();
  log(`${env.cpu}, ${env.cores} cores, ${env.ramGiB} GiB, Node ${env.node}`);
  const started = performance.now();
  const results: MeasurementResult[] = [];
  for (const m of MEASUREMENTS) if (!only || only.has(m.id)) results.push(await runOne(m));
  const totalMs = Math.round(performance.now() - started);

  const command = `node dist/dev/bench/main.js${only ? ` --only ${[...only].join(',')}` : ''}`;
  const md = markdown(env, results, totalMs, command);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(
    join(OUT_DIR, 'latest.json'),
    `${JSON.stringify({ machine: env, totalMs, command, results }, null, 2)}\n`,
  );
  writeFileSync(join(OUT_DIR, 'latest.md'), md);
  process.stdout.write(md);
  log(`wrote ${join(OUT_DIR, 'latest.json')} and latest.md in ${(totalMs / 1000).toFixed(1)} s`);
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping everything the bench started…`);
    void Promise.all([...Scope.open].map((s) => s.close())).finally(() => process.exit(130));
  });

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (e: unknown) => {
    log(`crashed: ${errorDetail(e)}`);
    await Promise.all([...Scope.open].map((s) => s.close()));
    process.exit(1);
  },
);
