/** Debian's Chromium with the built extension, as the tests, the demo and the bench launch it. */
import { EXTENSION_ID } from '../../src/protocol/constants.js';

/** The real binary: /usr/bin/chromium is a wrapper that adds flags of its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
export const POPUP_URL = `chrome-extension://${EXTENSION_ID}/src/popup/index.html`;

/** Flags of every launch: root in containers and CI, no GPU, nothing fetched in the background. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
