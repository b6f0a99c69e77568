/**
 * Puppeteer drives Debian's Chromium (apt-get install chromium) in the browser tests; it must
 * never download a browser of its own (`npm ci` would fail on a machine that reaches only the
 * package registry).
 */
module.exports = { skipDownload: true };
