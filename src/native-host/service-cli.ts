/** `sentinel-host service …` and `sentinel-host status`: talk to the service over its socket. */
import { parseArgs } from 'node:util';
import { callService, ServiceUnreachableError } from './ipc-client.js';
import { hostPaths } from './paths.js';
import { runServiceForeground } from './service.js';
import { connectOrStart, tryConnect } from './start-service.js';
import type { HelloResult } from '../protocol/methods.js';

async function hello(): Promise<HelloResult> {
  return (await callService(hostPaths(), 'host.hello', { client: 'cli' })) as HelloResult;
}

function describe(h: HelloResult): string {
  return [
    `Sentinel service ${h.version} (protocol ${h.protocol})`,
    `  pid:      ${h.service.pid}, running since ${h.service.startedAt}`,
    `  vault:    ${h.vault}`,
    `  trading:  ${h.trading.paused ? 'paused' : 'active'}`,
    `  home:     ${hostPaths().home}`,
  ].join('\n');
}

export async function runStatus(args: string[]): Promise<number> {
  try {
    const h = await hello();
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(h)}\n` : `${describe(h)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof ServiceUnreachableError ? 3 : 1;
  }
}

export async function runServiceCommand(args: string[]): Promise<number> {
  const [sub] = args[0]?.startsWith('--') ? [undefined] : args;
  const paths = hostPaths();
  switch (sub) {
    case undefined:
    case 'run': {
      const { values } = parseArgs({
        args: sub ? args.slice(1) : args,
        options: { 'passphrase-file': { type: 'string' } },
        strict: true,
      });
      const file = values['passphrase-file'];
      return runServiceForeground(file ? { passphraseFile: file } : {});
    }
    case 'start': {
      const link = await connectOrStart(paths);
      if (!link) {
        process.stderr.write(`the service did not start; see ${paths.serviceLog}\n`);
        return 1;
      }
      link.socket.destroy();
      process.stdout.write(
        `${link.started ? 'started' : 'already running'}\n${describe(await hello())}\n`,
      );
      return 0;
    }
    case 'stop': {
      let pid: number;
      try {
        pid = (await hello()).service.pid;
      } catch {
        process.stdout.write('the service is not running\n');
        return 0;
      }
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const s = await tryConnect(paths.socket);
        if (!s) {
          process.stdout.write(`stopped (pid ${pid})\n`);
          return 0;
        }
        s.destroy();
      }
      process.stderr.write(`pid ${pid} did not stop within 5 s\n`);
      return 1;
    }
    default:
      process.stderr.write(
        `sentinel-host service: unknown subcommand "${sub}" (run, start, stop)\n`,
      );
      return 2;
  }
}
