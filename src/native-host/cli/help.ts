/**
 * The CLI's own map of commands and subcommands: each one's usage and an example, for `--help`
 * / `-h` at any level, and the nearest name when one is mistyped. Pure (the command name printed
 * is passed in: `sentinel-host` or `node bin/sentinel-host.js`, see cli/command-name.ts).
 */

export interface CommandHelp {
  usage: string;
  about: string;
  example: string;
}

export interface CommandEntry extends CommandHelp {
  /** Subcommands, in the order the usage lists them. */
  subcommands?: Record<string, CommandHelp>;
}

const SUBSCRIBE_ROUTES =
  '\'[{"strategy":"btc-trend","connectionId":"c_…","maxOrderQuote":"50","maxDailyQuote":"500"}]\'';

/** Every command the user types (not `native`, which the browser starts). `{cli}` is the name. */
export const COMMANDS: Record<string, CommandEntry> = {
  setup: {
    usage: '{cli} setup [install options]',
    about: 'install, then start the service (what "npm run setup" runs)',
    example: '{cli} setup --browser chromium',
  },
  install: {
    usage: '{cli} install [--browser NAME]… [--user-data-dir DIR] [--extension-id ID]… [--dry-run]',
    about: 'register the native host with your browsers',
    example: '{cli} install --browser chrome',
  },
  uninstall: {
    usage: '{cli} uninstall [--browser NAME]… [--user-data-dir DIR] [--dry-run]',
    about: 'remove that registration (your vault and data are kept)',
    example: '{cli} uninstall --browser chrome',
  },
  doctor: {
    usage: '{cli} doctor [--browser NAME]… [--user-data-dir DIR] [--extension-id ID]…',
    about: 'check every link from the browser to the service, with fixes',
    example: '{cli} doctor',
  },
  status: {
    usage: '{cli} status [--json]',
    about: 'what the running service says about itself (vault, trading and why it is paused)',
    example: '{cli} status',
  },
  vault: {
    usage: '{cli} vault create|unlock|lock|passwd',
    about: 'the encrypted vault; passphrases from a hidden prompt or stdin',
    example: '{cli} vault unlock',
    subcommands: {
      create: {
        usage: '{cli} vault create',
        about: 'create the vault (passphrase of 8+ characters, asked twice on a terminal)',
        example: '{cli} vault create',
      },
      unlock: {
        usage: '{cli} vault unlock',
        about: 'unlock the vault (passphrase from the terminal or the first line of stdin)',
        example: 'printf \'%s\\n\' "$PASS" | {cli} vault unlock',
      },
      lock: {
        usage: '{cli} vault lock',
        about: 'lock the vault: nothing trades until it is unlocked again',
        example: '{cli} vault lock',
      },
      passwd: {
        usage: '{cli} vault passwd',
        about: 'change the vault passphrase (current one, then the new one)',
        example: '{cli} vault passwd',
      },
    },
  },
  connections: {
    usage: '{cli} connections list|add|rotate|audit|mode|remove',
    about: 'exchange connections: every key is audited with the exchange before it is stored',
    example: '{cli} connections list',
    subcommands: {
      list: {
        usage: '{cli} connections list [--json]',
        about: 'the stored connections',
        example: '{cli} connections list',
      },
      add: {
        usage:
          '{cli} connections add --exchange binance|bybit|okx --label L [--environment live|testnet|demo] [--endpoint URL] [--futures] [--margin] [--options] [--key-id ID] [--json]',
        about:
          'add an API key (the vault must be unlocked); key, secret and OKX passphrase are then read from a hidden prompt or stdin, one per line; with --key-id (a key made by "{cli} keys generate") only the API key the exchange showed is read',
        example: '{cli} connections add --exchange binance --label main --key-id k_1234',
      },
      rotate: {
        usage: '{cli} connections rotate ID [--key-id ID] [--json]',
        about:
          "replace a connection's API key (the vault must be unlocked); the new key, secret (and OKX passphrase) — or with --key-id only the API key — are read like add's, audited first, and a blocked key keeps the old one",
        example: '{cli} connections rotate c_1234',
      },
      audit: {
        usage: '{cli} connections audit ID [--json]',
        about: 'ask the exchange again what the key may do',
        example: '{cli} connections audit c_1234',
      },
      mode: {
        usage: '{cli} connections mode ID live|dry-run [--yes]',
        about: 'switch a connection between simulated and real orders',
        example: '{cli} connections mode c_1234 live --yes',
      },
      remove: {
        usage: '{cli} connections remove ID',
        about: 'remove a connection and its secret',
        example: '{cli} connections remove c_1234',
      },
    },
  },
  keys: {
    usage: '{cli} keys generate|list|discard',
    about:
      'key pairs made on this machine (Binance Ed25519, Bybit RSA; OKX has none): only the public key goes to the exchange, the private key stays in the vault',
    example: '{cli} keys generate --exchange binance',
    subcommands: {
      generate: {
        usage: '{cli} keys generate --exchange binance|bybit [--json]',
        about:
          'make a key pair (the vault must be unlocked); prints the public key and where to paste it on the exchange, then attach it with "{cli} connections add … --key-id ID" within a day',
        example: '{cli} keys generate --exchange binance',
      },
      list: {
        usage: '{cli} keys list [--pem] [--json]',
        about:
          'the generated keys not attached to a connection yet, when each is erased, and with --pem their public keys',
        example: '{cli} keys list --pem',
      },
      discard: {
        usage: '{cli} keys discard ID',
        about: 'erase a generated key never attached (delete its API key on the exchange too)',
        example: '{cli} keys discard k_1234',
      },
    },
  },
  signals: {
    usage: '{cli} signals list|history|subscribe|unsubscribe',
    about: 'signal feeds from a relay (the relay token is read like a secret)',
    example: '{cli} signals list',
    subcommands: {
      list: {
        usage: '{cli} signals list [--json]',
        about: 'the subscriptions, their routes and whether each feed is connected',
        example: '{cli} signals list',
      },
      history: {
        usage: '{cli} signals history [--json]',
        about: 'the last 50 signals received and what became of each',
        example: '{cli} signals history',
      },
      subscribe: {
        usage:
          '{cli} signals subscribe --url URL --provider-key KEY (--routes JSON | --routes-file FILE) [--json]',
        about:
          'subscribe to a relay feed; the relay token is then read from a hidden prompt or stdin. Waits up to 5 s for the feed: if the relay cannot be reached it says so (exit 0, the subscription is kept and retries)',
        example: `{cli} signals subscribe --url wss://relay.example/feed --provider-key pk_1 --routes ${SUBSCRIBE_ROUTES}`,
      },
      unsubscribe: {
        usage: '{cli} signals unsubscribe ID',
        about: 'remove a subscription',
        example: '{cli} signals unsubscribe s_1234',
      },
    },
  },
  orders: {
    usage: '{cli} orders [--limit N] [--connection ID] [--json]',
    about: 'the order journal (newest first, 20 by default)',
    example: '{cli} orders --limit 5',
  },
  positions: {
    usage: '{cli} positions [--connection ID] [--json]',
    about:
      'open perpetual positions of the connections a route trades swaps on; exit 1 if a connection could not answer',
    example: '{cli} positions',
  },
  trading: {
    usage: '{cli} trading pause [REASON] | resume',
    about: 'stop and restart all execution at once (survives restarts)',
    example: '{cli} trading pause "checking the strategy"',
    subcommands: {
      pause: {
        usage: '{cli} trading pause [REASON]',
        about: 'no signal executes until resume; the reason shows in status',
        example: '{cli} trading pause "checking the strategy"',
      },
      resume: {
        usage: '{cli} trading resume',
        about: 'let signals execute again',
        example: '{cli} trading resume',
      },
    },
  },
  repair: {
    usage: '{cli} repair [--json]',
    about:
      'check that vault and state agree (unlocking if needed); rebuild lost connections from the vault, pause those without a secret; exit 1 if something could not be repaired',
    example: '{cli} repair',
  },
  service: {
    usage: '{cli} service [run]|start|stop|install|uninstall',
    about: 'the background service',
    example: '{cli} service start',
    subcommands: {
      run: {
        usage: '{cli} service [run] [--passphrase-file FILE]',
        about:
          "run the service in the foreground (for systemd/launchd); the file's first line unlocks the vault at start (also SENTINEL_PASSPHRASE_FILE)",
        example: '{cli} service run',
      },
      start: {
        usage: '{cli} service start',
        about: 'start the service in the background if it is not running',
        example: '{cli} service start',
      },
      stop: {
        usage: '{cli} service stop',
        about: 'stop the running service',
        example: '{cli} service stop',
      },
      install: {
        usage: '{cli} service install [--passphrase-file FILE] [--dry-run]',
        about:
          'run the service at login/boot without the browser: a systemd user unit (Linux) or a launchd agent (macOS)',
        example: '{cli} service install --dry-run',
      },
      uninstall: {
        usage: '{cli} service uninstall [--dry-run]',
        about: 'remove that unit or agent (your vault and data are kept)',
        example: '{cli} service uninstall',
      },
    },
  },
};

const fill = (text: string, cli: string): string => text.replaceAll('{cli}', cli);

function wrap(text: string, indent: string, width = 96): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

/** The top-level usage: every command and every subcommand, one usage line each. */
export function topUsage(cli: string): string {
  const parts = [`Usage: ${cli} <command> [options]   (${cli} <command> --help for more)`, ''];
  for (const entry of Object.values(COMMANDS)) {
    const subs = entry.subcommands ? Object.values(entry.subcommands) : [entry];
    for (const s of subs) {
      parts.push(`  ${fill(s.usage, cli)}`);
      parts.push(wrap(fill(s.about, cli), '        '));
    }
  }
  parts.push(`  ${cli} native ORIGIN`);
  parts.push('        the bridge the browser starts (not for typing by hand)');
  parts.push('');
  parts.push('Environment: SENTINEL_HOME (where data, socket and logs live), SENTINEL_LOG_LEVEL.');
  return parts.join('\n');
}

/** `--help` for one command or subcommand. */
export function commandHelp(cli: string, command: string, sub?: string): string | undefined {
  const entry = COMMANDS[command];
  if (!entry) return undefined;
  const one = sub ? entry.subcommands?.[sub] : entry;
  if (!one) return undefined;
  const lines = [`Usage: ${fill(one.usage, cli)}`, '', wrap(fill(one.about, cli), '')];
  if (!sub && entry.subcommands) {
    lines.push('', 'Subcommands:');
    for (const [name, s] of Object.entries(entry.subcommands))
      lines.push(`  ${name.padEnd(12)} ${fill(s.about, cli).split('; ')[0]}`);
    lines.push('', `${cli} ${command} <subcommand> --help for each one.`);
  }
  lines.push('', 'Example:', `  ${fill(one.example, cli)}`);
  return lines.join('\n');
}

export const isHelpFlag = (arg: string | undefined): boolean =>
  arg === '--help' || arg === '-h' || arg === 'help';

export function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}

/** The nearest of `names` within 2 edits (or a prefix), else undefined. */
export function nearest(input: string, names: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = name.startsWith(input) && input.length >= 2 ? 1 : levenshtein(input, name);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/**
 * Help or a bad-subcommand answer for `args` (after the command), or undefined to run it.
 * `--help`/`-h` anywhere (before a `--`) asks for help on the command or the subcommand named.
 */
/** Commands whose own module prints a fuller `--help` (flags explained): only the example is added. */
const OWN_HELP = new Set([
  'install',
  'uninstall',
  'doctor',
  'service install',
  'service uninstall',
]);

export function helpFor(
  cli: string,
  command: string,
  args: readonly string[],
): { code: 0 | 2; stdout?: string; stderr?: string; delegate?: boolean } | undefined {
  const entry = COMMANDS[command];
  if (!entry) return undefined;
  const end = args.indexOf('--');
  const own = end === -1 ? args : args.slice(0, end);
  const subs = entry.subcommands;
  const first = own[0];
  const wantsHelp = own.some((a) => a === '--help' || a === '-h') || first === 'help';
  const sub = subs && first !== undefined && subs[first] ? first : undefined;
  if (wantsHelp) {
    if (OWN_HELP.has(sub ? `${command} ${sub}` : command)) {
      const one = sub ? subs?.[sub] : entry;
      return { code: 0, delegate: true, stdout: `\nExample:\n  ${fill(one?.example ?? '', cli)}` };
    }
    const help = commandHelp(cli, command, sub);
    return help === undefined ? undefined : { code: 0, stdout: help };
  }
  // Unknown subcommand: the nearest one, if any (the service's bare `--flag` means run).
  if (subs && first !== undefined && !sub && !first.startsWith('-')) {
    const guess = nearest(first, Object.keys(subs));
    return {
      code: 2,
      stderr:
        `${cli} ${command}: unknown subcommand "${first}"` +
        (guess ? `. Did you mean "${cli} ${command} ${guess}"?` : '') +
        `\n\n${commandHelp(cli, command) ?? ''}`,
    };
  }
  return undefined;
}
