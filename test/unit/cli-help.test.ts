/**
 * The CLI's help against README's CLI table: every command and subcommand the table lists answers
 * `--help` (exit 0, with its usage and an example) and is in the CLI's own top-level usage, and
 * every subcommand the CLI has is in the table. The built CLI is run too when dist/ exists.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandNameFor, asTyped } from '../../src/native-host/cli/command-name.js';
import { COMMANDS, helpFor, nearest, topUsage } from '../../src/native-host/cli/help.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(root, 'bin/sentinel-host.js');
const built = existsSync(path.join(root, 'dist/host/native-host/main.js'));

/** [command, subcommand?] pairs from README's CLI table (its first column's code spans). */
function readmeCommands(): [string, string | undefined][] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf("The host's command line");
  const table = readme.slice(start, readme.indexOf('\n\n', readme.indexOf('| command', start)));
  const found: [string, string | undefined][] = [];
  for (const row of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const first = row.split(/(?<!\\)\|/)[1] ?? '';
    let command: string | undefined;
    for (const span of first.matchAll(/`([^`]+)`/g)) {
      const [word, next] = span[1]!.split(' ');
      if (!word || word.startsWith('-') || word.startsWith('[')) continue;
      if (COMMANDS[word] && (!command || !COMMANDS[command]?.subcommands?.[word])) {
        command = word;
        const sub = next && COMMANDS[word].subcommands?.[next] ? next : undefined;
        found.push([word, sub]);
      } else if (command) found.push([command, word]);
    }
  }
  return found;
}

describe('CLI help and README', () => {
  const documented = readmeCommands();

  it('README lists commands and subcommands', () => {
    expect(documented.length).toBeGreaterThan(20);
  });

  it('every documented command and subcommand exists and is in the top-level usage', () => {
    const usage = topUsage('sentinel-host');
    for (const [command, sub] of documented) {
      const entry = COMMANDS[command];
      expect(entry, command).toBeDefined();
      if (sub !== undefined) expect(entry?.subcommands?.[sub], `${command} ${sub}`).toBeDefined();
      expect(usage).toContain(`sentinel-host ${command}${sub && sub !== 'run' ? ` ${sub}` : ''}`);
    }
  });

  it('every subcommand the CLI has is in README', () => {
    const pairs = new Set(documented.map(([c, s]) => `${c} ${s ?? ''}`.trim()));
    for (const [command, entry] of Object.entries(COMMANDS)) {
      if (!entry.subcommands) expect(pairs, command).toContain(command);
      for (const sub of Object.keys(entry.subcommands ?? {})) {
        if (command === 'service' && sub === 'run') continue; // README: `service` alone
        expect(pairs, `${command} ${sub}`).toContain(`${command} ${sub}`);
      }
    }
  });

  it('--help and -h answer for every command and subcommand with usage and an example', () => {
    for (const [command, entry] of Object.entries(COMMANDS)) {
      for (const sub of [undefined, ...Object.keys(entry.subcommands ?? {})]) {
        for (const flag of ['--help', '-h']) {
          const args = sub ? [sub, flag] : [flag];
          const r = helpFor('sentinel-host', command, args);
          expect(r?.code, `${command} ${sub ?? ''} ${flag}`).toBe(0);
          expect(r?.stdout).toContain('Example:');
          if (!r?.delegate) expect(r?.stdout).toMatch(/^Usage: sentinel-host /);
        }
      }
    }
  });

  it('a mistyped subcommand or command gets the nearest name and exit 2', () => {
    const r = helpFor('sentinel-host', 'signals', ['histroy']);
    expect(r?.code).toBe(2);
    expect(r?.stderr).toContain('Did you mean "sentinel-host signals history"');
    expect(nearest('conections', Object.keys(COMMANDS))).toBe('connections');
    expect(nearest('stauts', Object.keys(COMMANDS))).toBe('status');
    expect(nearest('zzzzzz', Object.keys(COMMANDS))).toBeUndefined();
  });

  it('fixes are printed as they run: sentinel-host on PATH, else node bin/sentinel-host.js', () => {
    const links = new Map([['/usr/local/bin/sentinel-host', '/src/app/bin/sentinel-host.js']]);
    const resolve = (f: string) => links.get(f) ?? (f.startsWith('/src/') ? f : undefined);
    expect(
      commandNameFor('/src/app/bin/sentinel-host.js', '/usr/local/bin', '/src/app', resolve),
    ).toBe('sentinel-host');
    expect(commandNameFor('/src/app/bin/sentinel-host.js', '/usr/bin', '/src/app', resolve)).toBe(
      'node bin/sentinel-host.js',
    );
    expect(commandNameFor('/src/app/bin/sentinel-host.js', '/usr/bin', '/home', resolve)).toBe(
      'node /src/app/bin/sentinel-host.js',
    );
    expect(commandNameFor('/x/vitest.mjs', '', '/x', resolve)).toBe('sentinel-host');
    expect(asTyped('run "sentinel-host vault unlock"', 'node bin/sentinel-host.js')).toBe(
      'run "node bin/sentinel-host.js vault unlock"',
    );
  });

  it.skipIf(!built)('the built CLI answers --help for every documented command', () => {
    for (const [command, sub] of documented) {
      const args = [command, ...(sub ? [sub] : []), '--help'];
      const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toContain('Example:');
      expect(r.stdout).toContain('node bin/sentinel-host.js');
    }
    const unknown = spawnSync(process.execPath, [bin, 'conections'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Did you mean "node bin/sentinel-host.js connections"');
  });

  it.skipIf(!built || process.platform === 'win32')(
    'through a PATH entry named sentinel-host it prints sentinel-host',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sentinel-path-'));
      symlinkSync(bin, path.join(dir, 'sentinel-host'));
      const out = execFileSync('sentinel-host', ['vault', '--help'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env['PATH'] ?? ''}` },
      });
      expect(out).toContain('Usage: sentinel-host vault');
    },
  );
});
