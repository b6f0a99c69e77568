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
/** Firefox's add-on id pattern (its manifest schema's ExtensionID): a GUID in braces, or name@domain. */
const FIREFOX_ADDON_ID_RE =
  /^(\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|[a-z0-9-._]*@[a-z0-9-._]+)$/i;

export function originOf(extensionId: string): string {
  return `chrome-extension://${extensionId}/`;
}

export const isFirefoxAddonId = (id: string): boolean => FIREFOX_ADDON_ID_RE.test(id);

/**
 * Throws a PlanError unless every id is a Chromium extension id (32 letters a–p) or a Firefox
 * add-on id (name@domain or {GUID}); each kind replaces the default of its own browsers only.
 */
export function validateExtensionIds(ids: readonly string[]): string[] {
  return ids.map((raw) => {
    const id = raw.trim();
    if (!EXTENSION_ID_RE.test(id) && !isFirefoxAddonId(id)) {
      throw new PlanError(
        `--extension-id "${raw}" is not a Chromium extension id: it must be exactly 32 letters ` +
          `from a to p (like ${EXTENSION_ID}). Copy it from chrome://extensions with ` +
          `Developer mode on. (A Firefox add-on id looks like ${FIREFOX_ADDON_ID}.)`,
      );
    }
    return id;
  });
}

/** The origins the Chromium-family manifests allow: the given ids, or the published extension. */
export function expectedOrigins(extensionIds?: readonly string[]): string[] {
  const chromium = (extensionIds ?? []).filter((id) => !isFirefoxAddonId(id));
  return chromium.length > 0 ? [...new Set(chromium)].map(originOf) : [EXTENSION_ORIGIN];
}

/** The add-ons the Firefox manifest allows: the given Firefox ids, or the built-in add-on. */
export function expectedAddons(extensionIds?: readonly string[]): string[] {
  const firefox = (extensionIds ?? []).filter(isFirefoxAddonId);
  return firefox.length > 0 ? [...new Set(firefox)] : [FIREFOX_ADDON_ID];
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
    ? { ...base, allowed_extensions: expectedAddons(extensionIds) }
    : { ...base, allowed_origins: expectedOrigins(extensionIds) };
}

export function manifestText(manifest: HostManifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}
