/**
 * `sentinel-host setup` (what `npm run setup` runs): install for the browsers found, start the
 * service, then print the numbered next steps for this machine — where the built extension lies,
 * which browsers were registered, and whether the vault still has to be created.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSERS, type BrowserId } from '../../install/browsers.js';
import { extensionDir, firefoxDirBeside } from '../../install/extension-dir.js';
import { hostPaths } from '../../paths.js';
import type { VaultState } from '../../../protocol/methods.js';
import { cliName } from '../command-name.js';
import { consoleIo, type CliIo } from '../io.js';
import { runInstall } from './install.js';

export interface NextStepsInput {
  /** Absolute path of dist/extension. */
  extensionDir: string;
  /** Whether dist/extension/manifest.json exists. */
  extensionBuilt: boolean;
  /** The browsers install registered the host with. */
  browsers: readonly BrowserId[];
  /** What the started service says; null when it did not answer. */
  vault: VaultState | null;
  /** How to run the CLI here. */
  cli?: string;
}

/** The lines setup prints last: numbered steps, true for this machine. */
export function setupNextSteps(input: NextStepsInput): string[] {
  const cli = input.cli ?? 'node bin/sentinel-host.js';
  const chromium = input.browsers.filter((b) => BROWSERS[b].family === 'chromium');
  const firefox = input.browsers.includes('firefox');
  const names = (ids: readonly BrowserId[]) => ids.map((b) => BROWSERS[b].name).join(', ');
  const lines: string[] = ['', 'Next steps:'];
  let n = 0;
  const step = (text: string, ...more: string[]) => {
    n += 1;
    lines.push(`  ${n}. ${text}`, ...more.map((m) => `     ${m}`));
  };
  if (!input.extensionBuilt) {
    step(`Build the extension first: npm run build (it goes to ${input.extensionDir}).`);
  }
  const where =
    chromium.length > 0
      ? `In ${names(chromium)} (registered just now)`
      : 'In your Chromium-family browser';
  step(
    `Load the extension. ${where}: open chrome://extensions, turn on Developer mode, ` +
      `click "Load unpacked" and choose this folder:`,
    input.extensionDir,
  );
  if (firefox) {
    lines.push(
      `     In Firefox: about:debugging → This Firefox → Load Temporary Add-on → ${join(firefoxDirBeside(input.extensionDir), 'manifest.json')}`,
    );
  }
  step('Open the Sentinel Companion popup (its icon in the toolbar, or the puzzle-piece menu).');
  if (input.vault === 'absent') {
    step(`Create the vault there (or in a terminal: ${cli} vault create).`);
  } else if (input.vault === 'locked' || input.vault === 'unlocked') {
    step(
      `Your vault already exists${input.vault === 'locked' ? ' (locked): unlock it in the popup' : ' and is unlocked'}; ` +
        'no need to create one.',
    );
  } else {
    step(
      `Create the vault there if you have none yet (or: ${cli} vault create); ` +
        `the service did not answer, so setup could not tell.`,
    );
  }
  step(
    "Connect a key: open your exchange's API management page; the extension guides you through " +
      'creating a key and connects it.',
  );
  lines.push(`Then check every link with: ${cli} doctor`);
  return lines;
}

/** The vault's state from the running service, or null when it does not answer. */
async function vaultState(io: CliIo): Promise<VaultState | null> {
  try {
    const call =
      io.callService ??
      (async (...args: Parameters<NonNullable<CliIo['callService']>>) => {
        const { callServiceRaw } = await import('../../ipc/client.js');
        return callServiceRaw(...args);
      });
    const hello = await call(
      io.ctx?.paths ?? hostPaths(),
      'host.hello',
      { client: 'setup' },
      { timeoutMs: 3000 },
    );
    const vault = (hello as { vault?: unknown } | null)?.vault;
    return vault === 'absent' || vault === 'locked' || vault === 'unlocked' ? vault : null;
  } catch {
    return null;
  }
}

export interface SetupOptions {
  /** Starts the service (default: `sentinel-host service start`). */
  startService?: () => Promise<number>;
  /** dist/extension (default: this project's). */
  extensionDir?: string;
  /** How to type the CLI in the steps (default: as it was started, cliName). */
  cli?: string;
}

export async function runSetup(
  argv: string[],
  io: CliIo = consoleIo,
  opts: SetupOptions = {},
): Promise<number> {
  const startService =
    opts.startService ??
    (async () => {
      const { runServiceCommand } = await import('./service.js');
      return runServiceCommand(['start']);
    });
  const got: { browsers?: readonly BrowserId[] } = {};
  const installed = await runInstall(argv, io, (b) => (got.browsers = b));
  if (installed !== 0) return installed;
  const started = await startService();
  const { browsers } = got;
  if (started !== 0 || browsers === undefined) return started; // a dry run installs nothing
  const dir = opts.extensionDir ?? extensionDir();
  for (const line of setupNextSteps({
    extensionDir: dir,
    extensionBuilt: existsSync(join(dir, 'manifest.json')),
    browsers,
    vault: await vaultState(io),
    cli: opts.cli ?? cliName(),
  })) {
    io.stdout(line);
  }
  return 0;
}
