/**
 * Copies of the exchanges' API-management pages (test/fixtures/pages), served over HTTPS at their
 * real hostnames: a self-signed certificate for www.binance.com, www.bybit.com and www.okx.com
 * (made with the openssl CLI), one local server, and Chromium told to resolve those names to it
 * (`--host-resolver-rules`) and to accept the certificate. The pages carry a strict CSP, like the
 * real ones. Used by the end-to-end tests and the demo; nothing reaches the real sites.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ROOT } from './root.js';
import { errorMessage } from '../../src/lib/error-text.js';

export class OpensslMissingError extends Error {}

export const FIXTURE_HOSTS = ['www.binance.com', 'www.bybit.com', 'www.okx.com'] as const;
/** The copies live with the tests; the demo serves them too. */
export const PAGES = join(ROOT, 'test/fixtures/pages');

/** Which fixture answers which path (any locale prefix: the content script decides on that). */
const ROUTES: { host: string | null; path: RegExp; file: string }[] = [
  {
    host: 'www.binance.com',
    path: /\/my\/settings\/api-management$/,
    file: 'binance-api-management.html',
  },
  {
    host: 'www.bybit.com',
    path: /\/app\/user\/api-management$/,
    file: 'bybit-api-management.html',
  },
  { host: 'www.okx.com', path: /\/account\/my-api$/, file: 'okx-my-api.html' },
  { host: null, path: /\/markets$/, file: 'markets.html' },
  { host: null, path: /^\/fixture\.(js|css)$/, file: '' },
];

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'";

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

export interface FixtureServer {
  port: number;
  /** For launchChromium: map the exchange hosts to this server and accept its certificate. */
  chromiumArgs: string[];
  url(host: (typeof FIXTURE_HOSTS)[number], pathAndQuery: string): string;
  /** Paths requested so far, e.g. to see that a page was really loaded from here. */
  requests: string[];
  close(): Promise<void>;
}

function selfSignedCert(dir: string): { key: Buffer; cert: Buffer } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=sentinel exchange fixtures',
        '-addext',
        `subjectAltName=${FIXTURE_HOSTS.map((h) => `DNS:${h}`).join(',')}`,
      ],
      { stdio: 'ignore' },
    );
  } catch (e) {
    throw new OpensslMissingError(
      `the openssl command failed (${errorMessage(e)}); install it: "apt-get install -y openssl"`,
    );
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-tls-'));
  const requests: string[] = [];
  const server = createServer(selfSignedCert(dir), (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    requests.push(`${host}${path}`);
    const route = ROUTES.find((r) => (r.host === null || r.host === host) && r.path.test(path));
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const file = route.file || path.slice(1);
    const ext = file.split('.').pop() ?? 'html';
    res
      .writeHead(200, {
        'content-type': TYPES[ext] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'cache-control': 'no-store',
      })
      .end(readFileSync(join(PAGES, file)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    chromiumArgs: [
      `--host-resolver-rules=${FIXTURE_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', ')}`,
      '--ignore-certificate-errors',
    ],
    // The default https port: Chromium maps the name (and port 443) to our server.
    url: (host, pathAndQuery) => `https://${host}${pathAndQuery}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
