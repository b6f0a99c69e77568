/**
 * The systemd user unit: rendering (with systemd's quoting and specifier escaping) and reading it
 * back. Both live together so doctor reads exactly what install writes.
 */
import { PlanError } from '../context.js';
import {
  ALREADY_RUNNING_EXIT_CODE,
  PASSPHRASE_CREDENTIAL,
  type ParsedServiceUnit,
  type ServiceSpec,
} from './common.js';

const escapeQuoted = (s: string): string => s.replace(/[\\"]/g, (c) => `\\${c}`);
const escapeSpecifiers = (s: string): string => s.replace(/%/g, '%%');

/**
 * One ExecStart= word, per systemd.syntax(7)/systemd.service(5): double quotes, `\` and `"`
 * backslash-escaped, `%` doubled (specifiers). `$` is doubled in arguments (variable
 * expansion), but not in the executable path, which systemd never expands.
 */
export function systemdExecWord(s: string, executable = false): string {
  let out = escapeSpecifiers(escapeQuoted(s));
  if (!executable) out = out.replace(/\$/g, () => '$$');
  return `"${out}"`;
}

/** `"NAME=value"` for Environment=: quoted and %-escaped; `$` has no meaning there. */
export function systemdEnvironment(name: string, value: string): string {
  return `"${escapeSpecifiers(escapeQuoted(`${name}=${value}`))}"`;
}

/**
 * The path part of LoadCredential=ID:PATH: systemd takes the rest of the line as is (after
 * specifier expansion), so no quoting — and nothing that quoting would be needed for.
 */
function credentialPath(file: string): string {
  if (/["'\\]/.test(file) || file.trim() !== file) {
    throw new PlanError(
      `The passphrase file path cannot go into a systemd unit as it is (quotes, backslashes or ` +
        `surrounding spaces): ${file}. Move the file to a plainer path.`,
      1,
    );
  }
  return escapeSpecifiers(file);
}

export function renderSystemdUnit(spec: ServiceSpec): string {
  // systemd refuses these in the executable's path ("contains special characters"), quoted or not.
  if (/["'\\]/.test(spec.nodePath)) {
    throw new PlanError(
      `systemd cannot run a node whose path has quotes or backslashes: ${spec.nodePath}. ` +
        'Install node in a plainer folder and run the command with it.',
      1,
    );
  }
  const exec = [
    systemdExecWord(spec.nodePath, true),
    systemdExecWord(spec.cliPath),
    'service',
    'run',
  ].join(' ');
  const lines = [
    '# Written by `sentinel-host service install`; remove with `sentinel-host service uninstall`.',
    '[Unit]',
    'Description=Sentinel Companion host service',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    ...(spec.sentinelHome
      ? [`Environment=${systemdEnvironment('SENTINEL_HOME', spec.sentinelHome)}`]
      : []),
    // The service reads $CREDENTIALS_DIRECTORY/vault-passphrase at start (service.ts).
    ...(spec.passphraseFile
      ? [`LoadCredential=${PASSPHRASE_CREDENTIAL}:${credentialPath(spec.passphraseFile)}`]
      : []),
    'Restart=on-failure',
    'RestartSec=5',
    // "Already running" (another instance holds the socket): retrying every 5 s would not help.
    `RestartPreventExitStatus=${ALREADY_RUNNING_EXIT_CODE}`,
    'UMask=0077',
    'NoNewPrivileges=yes',
    '',
    '[Install]',
    'WantedBy=default.target',
  ];
  return lines.join('\n') + '\n';
}

/** Splits a systemd setting into words: "…" and '…' with C escapes, backslash escapes outside. */
export function systemdWords(value: string): string[] {
  const words: string[] = [];
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', s: ' ' };
  let cur: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && i + 1 < value.length) {
      const next = value[++i] as string;
      cur = (cur ?? '') + (escapes[next] ?? next);
    } else if (quote) {
      if (c === quote) quote = null;
      else cur = (cur ?? '') + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      cur = cur ?? '';
    } else if (c === ' ' || c === '\t') {
      if (cur !== null) words.push(cur);
      cur = null;
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (cur !== null) words.push(cur);
  return words;
}

const unescapeSpecifiers = (s: string): string => s.replace(/%%/g, '%');

/** Reads back a unit written by renderSystemdUnit (or hand-edited in the same shape). */
export function parseSystemdUnit(text: string): ParsedServiceUnit {
  const out: ParsedServiceUnit = { args: [], env: {} };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (line.startsWith('#') || line.startsWith(';') || eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'ExecStart') {
      const words = systemdWords(value).map(unescapeSpecifiers);
      // Strip systemd's prefixes (-, @, :, +, !) from the executable.
      if (words[0] !== undefined) out.nodePath = words[0].replace(/^[-@:+!]+/, '');
      if (words[1] !== undefined) out.cliPath = words[1].replace(/\$\$/g, '$');
      out.args = words.slice(2).map((w) => w.replace(/\$\$/g, '$'));
    } else if (key === 'Environment') {
      for (const word of systemdWords(value).map(unescapeSpecifiers)) {
        const i = word.indexOf('=');
        if (i > 0) out.env[word.slice(0, i)] = word.slice(i + 1);
      }
    } else if (key === 'LoadCredential') {
      const i = value.indexOf(':');
      if (i > 0 && value.slice(0, i) === PASSPHRASE_CREDENTIAL) {
        out.passphraseFile = unescapeSpecifiers(value.slice(i + 1));
      }
    }
  }
  return out;
}
