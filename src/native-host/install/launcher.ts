/**
 * The one launcher every manifest points to. Browsers start hosts with a minimal environment and
 * an unpredictable cwd, so it names node and cli.js by absolute path and carries the few
 * variables the bridge needs. Rendering and parsing are both here so doctor reads exactly what
 * install writes.
 */
import { pathFor } from './context.js';

export interface LauncherSpec {
  nodePath: string;
  cliPath: string;
  /** Exported as SENTINEL_HOME so the bridge the browser starts uses the same home. */
  sentinelHome?: string | undefined;
  /** Exported as SENTINEL_ALLOWED_ORIGINS (space-separated) when --extension-id was given. */
  allowedOrigins?: string[] | undefined;
}

/** What doctor needs back from a launcher. */
export interface ParsedLauncher {
  nodePath?: string | undefined;
  cliPath?: string | undefined;
  env: Record<string, string>;
}

export function launcherFileName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'sentinel-native-host.cmd' : 'sentinel-native-host';
}

export function launcherPathFor(platform: NodeJS.Platform, binDir: string): string {
  return pathFor(platform).join(binDir, launcherFileName(platform));
}

/** POSIX shell single-quoting: the result is one word with no expansion at all. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A value inside double quotes in a .cmd file: only `%` is special there (without delayed expansion). */
function cmdValue(s: string, what: string): string {
  if (/["\r\n]/.test(s)) throw new Error(`${what} contains a quote or a line break: ${s}`);
  return s.replace(/%/g, '%%');
}

function envEntries(spec: LauncherSpec): [string, string][] {
  const out: [string, string][] = [];
  if (spec.sentinelHome) out.push(['SENTINEL_HOME', spec.sentinelHome]);
  if (spec.allowedOrigins && spec.allowedOrigins.length > 0) {
    out.push(['SENTINEL_ALLOWED_ORIGINS', spec.allowedOrigins.join(' ')]);
  }
  return out;
}

export function renderLauncher(platform: NodeJS.Platform, spec: LauncherSpec): string {
  if (platform === 'win32') {
    const lines = [
      '@echo off',
      'rem Sentinel Companion native-messaging launcher, written by `sentinel-host install`.',
      ...envEntries(spec).map(([k, v]) => `set "${k}=${cmdValue(v, k)}"`),
      `"${cmdValue(spec.nodePath, 'the node path')}" "${cmdValue(spec.cliPath, 'the cli path')}" native %*`,
    ];
    return lines.join('\r\n') + '\r\n';
  }
  const lines = [
    '#!/bin/sh',
    '# Sentinel Companion native-messaging launcher, written by `sentinel-host install`.',
    '# Browsers start it with a minimal environment, so node is named by absolute path.',
    ...envEntries(spec).map(([k, v]) => `export ${k}=${shQuote(v)}`),
    `exec ${shQuote(spec.nodePath)} ${shQuote(spec.cliPath)} native "$@"`,
  ];
  return lines.join('\n') + '\n';
}

/** Split a shell line into words: handles '…', "…" (no expansion) and backslash escapes. */
export function shWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      const stop = end < 0 ? line.length : end;
      cur = (cur ?? '') + line.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      cur = cur ?? '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) i++;
        cur += line[i];
      }
    } else if (c === '\\' && i + 1 < line.length) {
      cur = (cur ?? '') + line[++i];
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

function parseSh(text: string): ParsedLauncher {
  const out: ParsedLauncher = { env: {} };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = shWords(line);
    if (words[0] === 'export' && words[1]) {
      const eq = words[1].indexOf('=');
      if (eq > 0) out.env[words[1].slice(0, eq)] = words[1].slice(eq + 1);
    } else if (words[0] === 'exec') {
      out.nodePath = words[1];
      out.cliPath = words[2];
    }
  }
  return out;
}

function parseCmd(text: string): ParsedLauncher {
  const out: ParsedLauncher = { env: {} };
  const unescape = (s: string): string => s.replace(/%%/g, '%');
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const set = /^set\s+"([^=]+)=(.*)"$/i.exec(line);
    if (set) {
      out.env[set[1] as string] = unescape(set[2] as string);
      continue;
    }
    const run = /^"([^"]+)"\s+"([^"]+)"/.exec(line);
    if (run) {
      out.nodePath = unescape(run[1] as string);
      out.cliPath = unescape(run[2] as string);
    }
  }
  return out;
}

/** Reads back a launcher written by renderLauncher (or hand-edited in the same shape). */
export function parseLauncher(platform: NodeJS.Platform, text: string): ParsedLauncher {
  return platform === 'win32' ? parseCmd(text) : parseSh(text);
}
