/**
 * What the install, doctor and service-unit commands touch; tests replace parts of it. A module of
 * its own (types only, no runtime imports) so every command can share it without import cycles.
 */
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

/** Printing to the real terminal. */
export const consoleIo: Pick<CliIo, 'stdout' | 'stderr'> = {
  stdout: (line) => process.stdout.write(line + '\n'),
  stderr: (line) => process.stderr.write(line + '\n'),
};
