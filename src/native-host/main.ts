#!/usr/bin/env node
/**
 * `sentinel-host <command>`: one entry for the browser's bridge, the service and the user's CLI.
 * Each command's module is imported only when used, so the bridge starts without the rest.
 */
import { errorMessage } from '../lib/error-text.js';
import { asTyped, cliName } from './cli/command-name.js';
import { COMMANDS, helpFor, nearest, topUsage } from './cli/help.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `--help` / `-h` on any command or subcommand, and a mistyped subcommand, answered here.
  if (command !== undefined && command !== 'native') {
    const help = helpFor(cliName(), command, rest);
    if (help?.delegate) {
      // The command prints its own usage for --help; the example follows it.
      const code = await dispatch(command, rest);
      if (code === 0 && help.stdout !== undefined) process.stdout.write(`${help.stdout}\n`);
      return code;
    }
    if (help) {
      if (help.stdout !== undefined) process.stdout.write(`${help.stdout}\n`);
      if (help.stderr !== undefined) process.stderr.write(`${help.stderr}\n`);
      return help.code;
    }
  }
  return dispatch(command, rest, argv);
}

async function dispatch(
  command: string | undefined,
  rest: string[],
  argv: string[] = command === undefined ? rest : [command, ...rest],
): Promise<number> {
  switch (command) {
    case 'native': {
      const { runBridge } = await import('./bridge/bridge.js');
      return runBridge(rest);
    }
    case 'service': {
      const { runServiceCommand } = await import('./cli/commands/service.js');
      return runServiceCommand(rest);
    }
    case 'status': {
      const { runStatus } = await import('./cli/commands/service.js');
      return runStatus(rest);
    }
    case 'vault': {
      const { runVaultCommand } = await import('./cli/commands/vault.js');
      return runVaultCommand(rest);
    }
    case 'connections': {
      if (rest[0] === 'mode') {
        const { runModeCommand } = await import('./cli/commands/trading.js');
        return runModeCommand(rest.slice(1));
      }
      const { runConnectionsCommand } = await import('./cli/commands/vault.js');
      return runConnectionsCommand(rest);
    }
    case 'keys': {
      const { runKeysCommand } = await import('./cli/commands/keys.js');
      return runKeysCommand(rest);
    }
    case 'signals': {
      const { runSignalsCommand } = await import('./cli/commands/trading.js');
      return runSignalsCommand(rest);
    }
    case 'orders': {
      const { runOrdersCommand } = await import('./cli/commands/trading.js');
      return runOrdersCommand(rest);
    }
    case 'positions': {
      const { runPositionsCommand } = await import('./cli/commands/positions.js');
      return runPositionsCommand(rest);
    }
    case 'trading': {
      const { runTradingCommand } = await import('./cli/commands/trading.js');
      return runTradingCommand(rest);
    }
    case 'repair': {
      const { runRepair } = await import('./cli/commands/repair.js');
      return runRepair(rest);
    }
    case 'install': {
      const { runInstall } = await import('./cli/commands/install.js');
      return runInstall(rest);
    }
    case 'setup': {
      // install, start the service, then print the next steps (load the extension, the vault…)
      const { runSetup } = await import('./cli/commands/setup.js');
      return runSetup(rest);
    }
    case 'uninstall': {
      const { runUninstall } = await import('./cli/commands/install.js');
      return runUninstall(rest);
    }
    case 'doctor': {
      const { runDoctor } = await import('./cli/commands/install.js');
      return runDoctor(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${topUsage(cliName())}\n`);
      return command === undefined ? 2 : 0;
    default:
      // Chromium on Windows/macOS may start the launcher with only the origin: treat it as native.
      if (command.startsWith('chrome-extension://')) {
        const { runBridge } = await import('./bridge/bridge.js');
        return runBridge(argv);
      }
      {
        const cli = cliName();
        const guess = nearest(command, Object.keys(COMMANDS));
        process.stderr.write(
          `${cli}: unknown command "${command}"` +
            (guess ? `. Did you mean "${cli} ${guess}"?` : '') +
            `\n\n${topUsage(cli)}\n`,
        );
      }
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Let stdout drain (the bridge's last frame), then leave even if stdin is still open.
    process.stdout.write('', () => process.exit(code));
  },
  (err: unknown) => {
    // RpcErrors from the service carry a stable reason; show it for scripts and searches.
    const reason =
      typeof err === 'object' && err !== null && 'reason' in err ? ` [${String(err.reason)}]` : '';
    process.stderr.write(`sentinel-host: ${asTyped(errorMessage(err))}${reason}\n`);
    process.exit(1);
  },
);
