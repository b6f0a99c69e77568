/** The native-messaging host manifest a browser reads, and the extension ids that go in it. */
import {
  EXTENSION_ID,
  EXTENSION_ORIGIN,
  FIREFOX_ADDON_ID,
  HOST_NAME,
} from '../../protocol/constants.js';
import { BROWSERS, type BrowserId } from './browsers.js';
import { PlanError } from './context.js';

export const MANIFEST_DESCRIPTION = 'Sentinel Companion native host';

export interface HostManifest {
  name: string;
  description: string;
  path: string;
  type: 'stdio';
  allowed_origins?: string[];
  allowed_extensions?: string[];
}

const EXTENSION_ID_RE = /^[a-p]{32}$/;

export function originOf(extensionId: string): string {
  return `chrome-extension://${extensionId}/`;
}

/** Throws a PlanError unless every id is a Chromium extension id (32 letters a–p). */
export function validateExtensionIds(ids: readonly string[]): string[] {
  return ids.map((raw) => {
    const id = raw.trim();
    if (!EXTENSION_ID_RE.test(id)) {
      throw new PlanError(
        `--extension-id "${raw}" is not a Chromium extension id: it must be exactly 32 letters ` +
          `from a to p (like ${EXTENSION_ID}). Copy it from chrome://extensions with ` +
          'Developer mode on.',
      );
    }
    return id;
  });
}

/** The origins the Chromium-family manifests allow: the given ids, or the published extension. */
export function expectedOrigins(extensionIds?: readonly string[]): string[] {
  return extensionIds && extensionIds.length > 0
    ? [...new Set(extensionIds)].map(originOf)
    : [EXTENSION_ORIGIN];
}

export function renderManifest(
  browser: BrowserId,
  launcherPath: string,
  extensionIds?: readonly string[],
): HostManifest {
  const base = {
    name: HOST_NAME,
    description: MANIFEST_DESCRIPTION,
    path: launcherPath,
    type: 'stdio' as const,
  };
  return BROWSERS[browser].family === 'firefox'
    ? { ...base, allowed_extensions: [FIREFOX_ADDON_ID] }
    : { ...base, allowed_origins: expectedOrigins(extensionIds) };
}

export function manifestText(manifest: HostManifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}
