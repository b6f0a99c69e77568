/**
 * Asking the running service who it is, and stopping it (SIGTERM, then waiting for its socket to
 * close): shared by `sentinel-host service stop` and the autostart commands, which stop a service
 * the browser started before a unit takes over.
 */
import { callService } from '../ipc/client.js';
import { hostPaths, type HostPaths } from '../paths.js';
import { tryConnect } from '../ipc/start-service.js';
import type { HelloResult } from '../../protocol/methods.js';

export async function hello(paths: HostPaths = hostPaths()): Promise<HelloResult> {
  return callService(paths, 'host.hello', { client: 'cli' });
}

export async function stopService(paths: HostPaths = hostPaths()): Promise<number> {
  let pid: number;
  try {
    pid = (await hello(paths)).service.pid;
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
