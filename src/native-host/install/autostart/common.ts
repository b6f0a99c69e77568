/**
 * What the service-unit modules share: names, the plan shapes, and where the unit or plist lives
 * (systemd on Linux, launchd on macOS).
 */
import { pathFor, type InstallContext } from '../context.js';
import { shQuote } from '../launcher.js';
import type { PlannedCommand, PlannedDir } from '../plan.js';

/** The systemd user unit's name. */
export const SYSTEMD_UNIT = 'sentinel-companion.service';
/** The launchd agent's label (and plist file name without .plist). */
export const LAUNCHD_LABEL = 'com.sentinel.companion';
/** The systemd credential service.ts looks for in $CREDENTIALS_DIRECTORY. */
export const PASSPHRASE_CREDENTIAL = 'vault-passphrase';
export const SERVICE_INSTALL_COMMAND = 'sentinel-host service install';
/** `sentinel-host service run` exits with this when another service holds the socket. */
export const ALREADY_RUNNING_EXIT_CODE = 3;

export const NOT_REGISTERED_DETAIL =
  'not registered (the browser starts the service on demand; ' +
  '`sentinel-host service install` runs it at login/boot)';

export type ServiceManager = 'systemd' | 'launchd';

export interface ServiceUnitOptions {
  /** Absolute path of a passphrase file (checked by the CLI): the vault unlocks at start. */
  passphraseFile?: string;
  /** macOS: the user's uid, for launchctl's gui/<uid> domain. */
  uid?: number;
}

export interface ServiceCommand extends PlannedCommand {
  /**
   * This command starts the service: a service already running outside the unit (one the
   * browser started) must be stopped just before it, or the new one exits "already running".
   */
  startsService?: boolean;
}

export interface ServiceUnitPlan {
  manager: ServiceManager;
  /** The unit or plist file. */
  path: string;
  content: string;
  mode: number;
  /** Folders to create first (the file's folder; on macOS also the log folder). */
  dirs: PlannedDir[];
  /** In order; the ones marked startsService come after the running service is stopped. */
  commands: ServiceCommand[];
  /** What to tell the user after (logs, lingering, …). */
  notes: string[];
}

export interface ServiceUnitRemovalPlan {
  manager: ServiceManager;
  path: string;
  /** False: nothing is registered, the plan does nothing. */
  present: boolean;
  /** Stop and unregister, before the file goes. */
  commands: PlannedCommand[];
  /** The file to delete (empty when absent). Never the vault or any data. */
  remove: string[];
  /** After the file is gone (systemd forgets the unit). */
  afterRemove: PlannedCommand[];
  notes: string[];
}

export interface ServiceSpec {
  nodePath: string;
  cliPath: string;
  /** Exported as SENTINEL_HOME so the service uses the same home as the browser's bridge. */
  sentinelHome?: string;
  passphraseFile?: string;
}

/** What doctor needs back from a unit or plist. */
export interface ParsedServiceUnit {
  nodePath?: string | undefined;
  cliPath?: string | undefined;
  /** The arguments after cli.js (`service run …`). */
  args: string[];
  env: Record<string, string>;
  passphraseFile?: string;
}

// ---- where -----------------------------------------------------------------------------------

/** The service manager for a platform, or null when `service install` does not support it. */
export function serviceManagerFor(platform: NodeJS.Platform): ServiceManager | null {
  if (platform === 'linux') return 'systemd';
  if (platform === 'darwin') return 'launchd';
  return null;
}

/** ~/.config/systemd/user (honouring an absolute XDG_CONFIG_HOME, as systemd does). */
export function systemdUserDir(ctx: Pick<InstallContext, 'env' | 'homeDir'>): string {
  const xdg = ctx.env.XDG_CONFIG_HOME;
  const config = xdg && xdg.startsWith('/') ? xdg : pathFor('linux').join(ctx.homeDir, '.config');
  return pathFor('linux').join(config, 'systemd', 'user');
}

/** Where the unit (Linux) or plist (macOS) lives; null on other platforms. */
export function serviceUnitPath(
  ctx: Pick<InstallContext, 'platform' | 'env' | 'homeDir'>,
): string | null {
  const manager = serviceManagerFor(ctx.platform);
  if (manager === 'systemd') return pathFor('linux').join(systemdUserDir(ctx), SYSTEMD_UNIT);
  if (manager === 'launchd') {
    return pathFor('darwin').join(ctx.homeDir, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
  }
  return null;
}

/** A word for a POSIX shell command line shown to the user: quoted only when needed. */
export function shellArg(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : shQuote(s);
}
