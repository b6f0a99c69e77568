/** `sentinel-host service …` and `sentinel-host status`: talk to the service over its socket. */
import { parseArgs } from 'node:util';
import { asTyped, cliName } from '../command-name.js';
import { ServiceUnreachableError } from '../../ipc/client.js';
import { hostPaths } from '../../paths.js';
import { connectOrStart } from '../../ipc/start-service.js';
import { hello, stopService } from '../stop-service.js';
import type { HelloResult } from '../../../protocol/methods.js';
import { errorMessage } from '../../../lib/error-text.js';

function describe(h: HelloResult): string {
  return [
    `Sentinel service ${h.version} (protocol ${h.protocol})`,
    `  pid:      ${h.service.pid}, running since ${h.service.startedAt}`,
    `  vault:    ${h.vault}${h.insecureTestKdf ? ' — TEST VAULT: insecure test KDF (SENTINEL_TEST_KDF), never for real keys' : ''}`,
    `  trading:  ${h.trading.paused ? `paused${h.trading.reason ? ` — ${asTyped(h.trading.reason)}` : ''} (resume: "${cliName()} trading resume")` : 'active'}`,
    ...(h.integrity
      ? [
          `  INTEGRITY: ${h.integrity.problems.length} problem(s) between vault and state — ${asTyped(h.integrity.advice)} ("${cliName()} repair" shows them)`,
        ]
      : []),
    `  home:     ${hostPaths().home}`,
  ].join('\n');
}

export async function runStatus(args: string[]): Promise<number> {
  try {
    const h = await hello();
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(h)}\n` : `${describe(h)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${asTyped(errorMessage(err))}\n`);
    return err instanceof ServiceUnreachableError ? 3 : 1;
  }
}

export const SERVICE_USAGE = `Usage: ${cliName()} service <subcommand>

  [run] [--passphrase-file FILE]
                      run the service in the foreground (for systemd/launchd); the file's
                      first line unlocks the vault at start (also SENTINEL_PASSPHRASE_FILE)
  start               start the service in the background if it is not running
  stop                stop the running service
  install [--passphrase-file FILE] [--dry-run]
                      run the service at login/boot without the browser: a systemd user unit
                      (Linux) or a launchd agent (macOS)
  uninstall [--dry-run]
                      remove that unit or agent (the browser starts the service on demand)`;

const lineIo = {
  stdout: (line: string) => process.stdout.write(`${line}\n`),
  stderr: (line: string) => process.stderr.write(`${line}\n`),
};

/** SIGTERM the running service and wait until its socket is gone; 0 also when none runs. */
export async function runServiceCommand(args: string[]): Promise<number> {
  const [sub] =
    args[0]?.startsWith('--') && !['--help', '-h'].includes(args[0]) ? [undefined] : args;
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
      return (await import('../../service/service.js')).runServiceForeground(
        file ? { passphraseFile: file } : {},
      );
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
    case 'stop':
      return stopService(paths);
    case 'install':
    case 'uninstall': {
      const { runServiceInstall, runServiceUninstall } = await import('./service-unit.js');
      const run = sub === 'install' ? runServiceInstall : runServiceUninstall;
      // The same stop as `sentinel-host service stop`, for a service the browser started.
      return run(args.slice(1), { ...lineIo, stopRunning: () => stopService(paths) });
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${SERVICE_USAGE}\n`);
      return 0;
    default:
      process.stderr.write(
        `${cliName()} service: unknown subcommand "${sub}" ` +
          `(run, start, stop, install, uninstall)\n\n${SERVICE_USAGE}\n`,
      );
      return 2;
  }
}
