/**
 * 2. Bridge cold start to first reply, the service already running: spawn the bridge as the
 * browser would (`cli.js native chrome-extension://ID/`), write a framed host.hello at once, stop
 * the clock at the first complete frame on its stdout. Baseline: `node -e 0`, spawn to exit.
 * Bridge and baseline alternate run by run.
 */
import { spawn } from 'node:child_process';
import { CLI, exited, hostEnv, hostService, preciseNow, stat, withTimeout } from './common.js';
import type { Measurement } from './measurement.js';
import { p50p99, ratio } from './report.js';
import { EXTENSION_ORIGIN } from '../../src/protocol/constants.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { request } from '../../src/protocol/jsonrpc.js';

const WARMUP = 3;

async function bridgeOnce(env: NodeJS.ProcessEnv): Promise<number> {
  const hello = encodeFrame(request(1, 'host.hello', { client: 'bench' }));
  const start = preciseNow();
  const child = spawn(process.execPath, [CLI, 'native', EXTENSION_ORIGIN], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    child.stdin.write(hello);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const decoder = new FrameDecoder();
    const answered = new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const [frame] = decoder.push(chunk);
        if (!frame) return;
        const at = preciseNow();
        if (!frame.ok) return reject(new Error(`bad frame: ${frame.error.message}`));
        const m = frame.message as { id?: unknown; result?: { protocol?: unknown } };
        if (m.id !== 1 || m.result?.protocol === undefined)
          return reject(new Error(`unexpected answer ${JSON.stringify(m).slice(0, 300)}`));
        resolve(at);
      });
      child.once('exit', (code) =>
        reject(new Error(`the bridge exited (${code}) before answering: ${stderr.trim()}`)),
      );
      child.once('error', reject);
    });
    const at = await withTimeout(answered, 15_000, 'the bridge answer');
    return at - start;
  } finally {
    child.stdin.end(); // the browser closing the port: the bridge exits
    const gone = exited(child);
    await withTimeout(gone, 5000, 'the bridge to exit').catch(() => {
      child.kill('SIGKILL');
      return gone;
    });
  }
}

async function nodeOnce(): Promise<number> {
  const start = preciseNow();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  const code = await exited(child, 15_000);
  const end = preciseNow();
  if (code !== 0) throw new Error(`node -e 0 exited ${code}`);
  return end - start;
}

export function bridgeStart(runs: number): Measurement {
  return {
    id: '2',
    title: 'Bridge cold start',
    timeoutMs: 90_000,
    async run(scope) {
      const home = scope.tempDir('scb-br-');
      const env = hostEnv(home);
      await hostService(scope, home, env).start();
      for (let i = 0; i < WARMUP; i++) {
        await bridgeOnce(env);
        await nodeOnce();
      }
      const bridge: number[] = [];
      const node: number[] = [];
      for (let i = 0; i < runs; i++) {
        bridge.push(await bridgeOnce(env));
        node.push(await nodeOnce());
      }
      const b = stat(bridge);
      const n = stat(node);
      return {
        rows: [
          {
            id: '2',
            what: 'Bridge cold start → first reply (spawn `node cli.js native chrome-extension://…/`, write a framed host.hello, first frame back; service already running)',
            result: p50p99(b),
            baseline: `${p50p99(n)} (\`node -e 0\`, spawn → exit)`,
            ratio: ratio(b.p50, n.p50),
            n: `${b.n} + ${n.n}`,
            data: { unit: 'ms', bridge: b, nodeE0: n },
          },
        ],
        notes: [
          `not counted: ${WARMUP} warm-up runs of each. A browser starts the bridge through the installed launcher (/bin/sh exec node …), one more exec than here.`,
        ],
      };
    },
  };
}
