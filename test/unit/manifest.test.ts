import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EXTENSION_ID, HOST_NAME } from '../../src/protocol/constants.js';

const manifest = JSON.parse(
  readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'),
) as {
  manifest_version: number;
  key: string;
  permissions: string[];
  content_scripts: { matches: string[] }[];
};

describe('manifest.json', () => {
  it('is MV3 with native messaging', () => {
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.permissions).toContain('nativeMessaging');
  });

  it('its "key" gives the extension id every process relies on', () => {
    const der = Buffer.from(manifest.key, 'base64');
    const id = createHash('sha256')
      .update(der)
      .digest('hex')
      .slice(0, 32)
      .replace(/[0-9a-f]/g, (h) => String.fromCharCode(97 + parseInt(h, 16)));
    expect(id).toBe(EXTENSION_ID);
  });

  it('matches the three exchanges’ sites (single-page apps), https only, nothing else', () => {
    const matches = manifest.content_scripts.flatMap((c) => c.matches);
    expect(matches.sort()).toEqual([
      'https://www.binance.com/*',
      'https://www.bybit.com/*',
      'https://www.okx.com/*',
    ]);
  });

  it('names the host the way the installer registers it', () => {
    expect(HOST_NAME).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/); // Chrome's rule for host names
  });
});
