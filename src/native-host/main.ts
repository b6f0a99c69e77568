#!/usr/bin/env node
/**
 * `sentinel-host <command>`: one entry for the browser's bridge, the service and the user's CLI.
 * Each command's module is imported only when used, so the bridge starts without the rest.
 */
import { errorMessage } from '../lib/error-text.js';

const USAGE = `Usage: sentinel-host <command> [options]

Commands:
  setup [install options]
                      install, then start the service (what "npm run setup" runs)
  install [--browser NAME]… [--user-data-dir DIR] [--extension-id ID]…
                      register the native host with your browsers
  uninstall [--browser NAME]… [--user-data-dir DIR]
                      remove that registration
  doctor [--browser NAME]… [--user-data-dir DIR]
                      check every link from the browser to the service, with fixes
  status [--json]     what the running service says about itself
  vault create|unlock|lock|passwd
                      manage the encrypted vault (passphrases from the terminal or stdin)
  connections list [--json] | add --exchange X --label L [--environment E] [--endpoint URL]
              [--futures] [--margin] [--options] | audit ID [--json] | remove ID
                      manage exchange connections (keys and secrets from the terminal or stdin;
                      audit asks the exchange again what the key may do)
  connections mode ID live|dry-run [--yes]
                      switch a connection between simulated and real orders
  signals list | history | subscribe --url URL --provider-key KEY --routes JSON | unsubscribe ID
                      signal feeds (the relay token is read from the terminal or stdin)
  orders [--limit N] [--connection ID] [--json]
                      the order journal
  trading pause [REASON] | resume
                      stop / restart all execution at once
  repair [--json]     check that vault and state agree (unlocking if needed); rebuild lost
                      connections from the vault, pause those without a secret; exit 1 if
                      something could not be repaired
  service [run] [--passphrase-file FILE]
                      run the service in the foreground (for systemd/launchd); the file's
                      first line unlocks the vault at start (also SENTINEL_PASSPHRASE_FILE)
  service start       start the service in the background if it is not running
  service stop        stop the running service
  service install [--passphrase-file FILE] [--dry-run]
                      run the service at login/boot without the browser: a systemd user
                      unit (Linux) or a launchd agent (macOS); stops a browser-started one first
  service uninstall [--dry-run]
                      remove that unit or agent (your vault and data are kept)
  native ORIGIN       the bridge the browser starts (not for typing by hand)

Environment: SENTINEL_HOME (where data, socket and logs live), SENTINEL_LOG_LEVEL.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
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
    case 'signals': {
      const { runSignalsCommand } = await import('./cli/commands/trading.js');
      return runSignalsCommand(rest);
    }
    case 'orders': {
      const { runOrdersCommand } = await import('./cli/commands/trading.js');
      return runOrdersCommand(rest);
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
      const { runInstall } = await import('./cli/commands/install.js');
      const installed = await runInstall(rest);
      if (installed !== 0) return installed;
      const { runServiceCommand } = await import('./cli/commands/service.js');
      return runServiceCommand(['start']);
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
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      // Chromium on Windows/macOS may start the launcher with only the origin: treat it as native.
      if (command.startsWith('chrome-extension://')) {
        const { runBridge } = await import('./bridge/bridge.js');
        return runBridge(argv);
      }
      process.stderr.write(`sentinel-host: unknown command "${command}"\n\n${USAGE}\n`);
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
    process.stderr.write(`sentinel-host: ${errorMessage(err)}${reason}\n`);
    process.exit(1);
  },
);
