/**
 * The launchd agent plist: rendering and reading it back. Both live together so doctor reads
 * exactly what install writes.
 */
import { LAUNCHD_LABEL, type ParsedServiceUnit, type ServiceSpec } from './common.js';

export function xmlEscape(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

function xmlUnescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-f]+|#\d+);/gi, (_m, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[e] !== undefined) return named[e];
    const hex = e[1] === 'x' || e[1] === 'X';
    return String.fromCodePoint(parseInt(e.slice(hex ? 2 : 1), hex ? 16 : 10));
  });
}

export interface LaunchdSpec extends ServiceSpec {
  /** StandardOutPath and StandardErrorPath. */
  logPath: string;
}

/** The launchd agent: runs at load (login), restarted when it exits with an error. */
export function renderLaunchdPlist(spec: LaunchdSpec): string {
  const str = (s: string): string => `<string>${xmlEscape(s)}</string>`;
  const args = [
    spec.nodePath,
    spec.cliPath,
    'service',
    'run',
    ...(spec.passphraseFile ? ['--passphrase-file', spec.passphraseFile] : []),
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `sentinel-host service install`; remove with `sentinel-host service uninstall`. -->',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  ${str(LAUNCHD_LABEL)}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...args.map((a) => `    ${str(a)}`),
    '  </array>',
    ...(spec.sentinelHome
      ? [
          '  <key>EnvironmentVariables</key>',
          '  <dict>',
          '    <key>SENTINEL_HOME</key>',
          `    ${str(spec.sentinelHome)}`,
          '  </dict>',
        ]
      : []),
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>KeepAlive</key>',
    '  <dict>',
    '    <key>SuccessfulExit</key>',
    '    <false/>',
    '  </dict>',
    '  <key>StandardOutPath</key>',
    `  ${str(spec.logPath)}`,
    '  <key>StandardErrorPath</key>',
    `  ${str(spec.logPath)}`,
    '  <key>ProcessType</key>',
    `  ${str('Background')}`,
    '</dict>',
    '</plist>',
  ];
  return lines.join('\n') + '\n';
}

/** Reads back a plist written by renderLaunchdPlist (ProgramArguments, EnvironmentVariables). */
export function parseLaunchdPlist(text: string): ParsedServiceUnit {
  const out: ParsedServiceUnit = { args: [], env: {} };
  const strings = (block: string): string[] =>
    [...block.matchAll(/<string>([\s\S]*?)<\/string>/g)].map((m) => xmlUnescape(m[1] as string));
  const program = /<key>\s*ProgramArguments\s*<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(text);
  if (program) {
    const args = strings(program[1] as string);
    out.nodePath = args[0];
    out.cliPath = args[1];
    out.args = args.slice(2);
    const i = out.args.indexOf('--passphrase-file');
    const passphraseFile = i >= 0 ? out.args[i + 1] : undefined;
    if (passphraseFile !== undefined) out.passphraseFile = passphraseFile;
  }
  const env = /<key>\s*EnvironmentVariables\s*<\/key>\s*<dict>([\s\S]*?)<\/dict>/.exec(text);
  if (env) {
    for (const m of (env[1] as string).matchAll(
      /<key>([\s\S]*?)<\/key>\s*<string>([\s\S]*?)<\/string>/g,
    )) {
      out.env[xmlUnescape(m[1] as string)] = xmlUnescape(m[2] as string);
    }
  }
  return out;
}
