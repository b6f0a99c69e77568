/**
 * Debian's Firefox ESR with the built Firefox extension (dist/firefox), as the tests launch it:
 * puppeteer over WebDriver BiDi, headless, a fresh profile and HOME, and preferences that keep it
 * off the network (no updates, telemetry, remote settings, captive-portal or connectivity checks,
 * safe browsing, DNS-over-HTTPS, prefetching). The exchange pages are reached through a local
 * CONNECT proxy that tunnels only the three exchange hosts to the fixture server
 * (dev/harness/exchange-pages.ts) and refuses every other destination.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { FIREFOX_ADDON_ID } from '../../src/protocol/constants.js';

/** Debian's package (apt-get install firefox-esr), or FIREFOX_PATH. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * The moz-extension:// UUID of the add-on in the test profiles. Firefox draws a random one per
 * profile; the pref `extensions.webextensions.uuids` fixes it, so the tests can open the popup.
 */
export const FIREFOX_ADDON_UUID = '5e171e2a-0c0a-4c5e-9d4e-5e171e2a0c0a';
export const FIREFOX_BASE_URL = `moz-extension://${FIREFOX_ADDON_UUID}/`;
export const FIREFOX_POPUP_URL = `${FIREFOX_BASE_URL}src/popup/index.html`;
export const FIREFOX_SETUP_URL = `${FIREFOX_BASE_URL}src/setup/index.html`;

/**
 * Arguments of every launch. WebDriver BiDi refuses to navigate a tab to a moz-extension:// page
 * unless system access is allowed (remote/shared/BrowsingContextUtils.sys.mjs): the popup is
 * opened as a tab.
 */
export const FIREFOX_ARGS: readonly string[] = ['--remote-allow-system-access'];

/**
 * Environment of every launch. Release and ESR builds ignore a changed remote-settings server
 * (services.settings.server, which WebDriver BiDi's recommended preferences point at a dummy)
 * unless this is set (services-settings/Utils.sys.mjs): without it Firefox keeps asking
 * firefox.settings.services.mozilla.com.
 */
export const FIREFOX_ENV: Readonly<Record<string, string>> = { MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' };

/** Preferences that keep a test Firefox quiet and off the network. */
export function firefoxPrefs(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_ADDON_UUID }),
    // Updates of the browser and of add-ons, and the blocklist.
    'app.update.enabled': false,
    'app.update.auto': false,
    'app.update.disabledForTesting': true,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.blocklist.enabled': false,
    // Telemetry and studies.
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'toolkit.telemetry.server': 'data:,',
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'app.normandy.enabled': false,
    'app.shield.optoutstudies.enabled': false,
    // Remote settings, captive portal, connectivity, push, safe browsing.
    'services.settings.server': 'data:,#remote-settings-off/v1',
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'dom.push.connection.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.blockedURIs.enabled': false,
    'browser.safebrowsing.provider.mozilla.updateURL': 'data:,',
    // No DNS-over-HTTPS, no prefetching, no speculative connections.
    'network.trr.mode': 5,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'network.http.speculative-parallel-limit': 0,
    'browser.urlbar.speculativeConnect.enabled': false,
    // First-run pages and prompts.
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.aboutwelcome.enabled': false,
    'browser.newtabpage.enabled': false,
    'browser.topsites.contile.enabled': false,
    'media.gmp-manager.url': 'data:,',
    // Anything else that still tries the network goes to a proxy that is not there (port 9,
    // discard: nothing listens): refused at once, no DNS lookup. startFixtureProxy's prefs
    // replace it with the fixture proxy.
    ...proxyPrefs(9),
    ...extra,
  };
}

/** HTTP and HTTPS through a proxy on 127.0.0.1:port; localhost itself goes direct. */
function proxyPrefs(port: number): Record<string, unknown> {
  return {
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': port,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': port,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': false,
  };
}

/** The exchange hosts the proxy tunnels (the fixture server answers for all three). */
const PROXIED_HOSTS = new Set(['www.binance.com', 'www.bybit.com', 'www.okx.com']);

export interface FixtureProxy {
  port: number;
  /** Every CONNECT the browser asked for, host:port (refused ones too). */
  requests: string[];
  /** Preferences that send Firefox's HTTP and HTTPS through this proxy. */
  prefs: Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * An HTTP CONNECT proxy on 127.0.0.1 for Firefox (what Chromium's --host-resolver-rules does for
 * the Chromium tests): https://www.binance.com/… is tunnelled to the fixture server on
 * `targetPort`; any other host is answered 403, so nothing reaches the network.
 */
export async function startFixtureProxy(targetPort: number): Promise<FixtureProxy> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'text/plain' }).end('only CONNECT to the fixtures');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    requests.push(target);
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const host = target.replace(/:\d+$/, '');
    if (!PROXIED_HOSTS.has(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    prefs: proxyPrefs(port),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
