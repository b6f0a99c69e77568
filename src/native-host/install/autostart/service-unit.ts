/**
 * Pure planning for `sentinel-host service install | uninstall`: a systemd user unit (Linux) or a
 * launchd agent (macOS) that runs `sentinel-host service run` at login (or at boot, with
 * lingering), and the commands that register it. Nothing is touched here; service-unit-cli.ts
 * carries a plan out with apply.ts. Rendering and parsing live together so doctor reads exactly
 * what install writes.
 *
 * This module is the entry point; the pieces live in service-unit-common.ts (names, shapes, paths),
 * service-unit-systemd.ts, service-unit-launchd.ts and service-unit-plan.ts.
 */
import type { ParsedServiceUnit, ServiceManager } from './common.js';
import { parseLaunchdPlist } from './launchd.js';
import { parseSystemdUnit } from './systemd.js';

export {
  ALREADY_RUNNING_EXIT_CODE,
  LAUNCHD_LABEL,
  NOT_REGISTERED_DETAIL,
  PASSPHRASE_CREDENTIAL,
  SERVICE_INSTALL_COMMAND,
  SYSTEMD_UNIT,
  serviceManagerFor,
  serviceUnitPath,
  shellArg,
  systemdUserDir,
} from './common.js';
export type {
  ParsedServiceUnit,
  ServiceCommand,
  ServiceManager,
  ServiceSpec,
  ServiceUnitOptions,
  ServiceUnitPlan,
  ServiceUnitRemovalPlan,
} from './common.js';
export {
  parseSystemdUnit,
  renderSystemdUnit,
  systemdEnvironment,
  systemdExecWord,
  systemdWords,
} from './systemd.js';
export { parseLaunchdPlist, renderLaunchdPlist, xmlEscape, type LaunchdSpec } from './launchd.js';
export {
  planServiceUnit,
  planServiceUnitRemoval,
  systemdRestartCommand,
  unsupportedPlatformMessage,
} from './plan.js';

export function parseServiceUnit(manager: ServiceManager, text: string): ParsedServiceUnit {
  return manager === 'systemd' ? parseSystemdUnit(text) : parseLaunchdPlist(text);
}
