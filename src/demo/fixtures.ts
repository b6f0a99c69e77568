/**
 * Copies of the exchanges' API-management pages (test/fixtures/pages), served over HTTPS at their
 * real hostnames: a self-signed certificate made with the openssl CLI, one local server, and
 * Chromium told to resolve www.binance.com, www.bybit.com and www.okx.com to it and to accept the
 * certificate. The pages carry a strict CSP like the real ones. Nothing reaches the real sites.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DemoPrerequisite } from './narrate.js';
import type { Scope } from './scope.js';
import { ROOT } from './stack.js';

const HOSTS = ['www.binance.com', 'www.bybit.com', 'www.okx.com'] as const;
const PAGES = join(ROOT, 'test/fixtures/pages');

/** Which copy answers which path (any locale prefix: the content script decides on that). */
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

export interface Fixtures {
  /** For Chromium: map the exchange hosts to this server and accept its certificate. */
  chromiumArgs: string[];
  /** Paths served so far ("www.binance.com/en/my/settings/api-management"). */
  served: string[];
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
        '/CN=sentinel demo exchange pages',
        '-addext',
        `subjectAltName=${HOSTS.map((h) => `DNS:${h}`).join(',')}`,
      ],
      { stdio: 'ignore' },
    );
  } catch (e) {
    throw new DemoPrerequisite(
      `the openssl command failed (${(e as Error).message}); install it: "apt-get install -y openssl"`,
    );
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

export async function startFixtures(scope: Scope): Promise<Fixtures> {
  if (!existsSync(join(PAGES, 'binance-api-management.html')))
    throw new DemoPrerequisite(`${PAGES} is missing: run the demo from a full checkout`);
  const served: string[] = [];
  const server = createServer(selfSignedCert(scope.tempDir('sc-demo-tls-')), (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const route = ROUTES.find((r) => (r.host === null || r.host === host) && r.path.test(path));
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    served.push(`${host}${path}`);
    const file = route.file || path.slice(1);
    res
      .writeHead(200, {
        'content-type': TYPES[file.split('.').pop() ?? 'html'] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'cache-control': 'no-store',
      })
      .end(readFileSync(join(PAGES, file)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  scope.defer('close the exchange pages server', () => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    served,
    chromiumArgs: [
      `--host-resolver-rules=${HOSTS.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', ')}`,
      '--ignore-certificate-errors',
    ],
  };
}
