/**
 * What the install, doctor and service-unit commands touch; tests replace parts of it. A module of
 * its own (types, and only command-name.js at run time) so every command can share it without
 * import cycles.
 */
import { asTyped } from './command-name.js';
import type { RunCommand } from '../install/apply.js';
import type { InstallContext } from '../install/context.js';
import type { CallService } from '../install/doctor/checks.js';

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  ctx?: InstallContext;
  run?: RunCommand;
  callService?: CallService;
  cwd?: string;
}

/**
 * Printing to the real terminal. Every `sentinel-host …` these commands print (usage, fixes, next
 * steps) is shown as it runs from here: `node bin/sentinel-host.js …` in a checkout without the
 * command on PATH (command-name.ts).
 */
export const consoleIo: Pick<CliIo, 'stdout' | 'stderr'> = {
  stdout: (line) => process.stdout.write(asTyped(line) + '\n'),
  stderr: (line) => process.stderr.write(asTyped(line) + '\n'),
};
