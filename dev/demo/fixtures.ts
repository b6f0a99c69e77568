/**
 * The demo's exchange pages: the shared HTTPS copies (src/dev/exchange-pages.ts), closed with the
 * demo's scope, with missing prerequisites reported as such (exit 2, with what to install).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OpensslMissingError, PAGES, startFixtureServer } from '../harness/exchange-pages.js';
import { DemoPrerequisite } from './narrate.js';
import type { Scope } from './scope.js';

export interface Fixtures {
  /** For Chromium: map the exchange hosts to this server and accept its certificate. */
  chromiumArgs: string[];
  /** Paths requested so far ("www.binance.com/en/my/settings/api-management"). */
  served: string[];
}

export async function startFixtures(scope: Scope): Promise<Fixtures> {
  if (!existsSync(join(PAGES, 'binance-api-management.html')))
    throw new DemoPrerequisite(`${PAGES} is missing: run the demo from a full checkout`);
  let server;
  try {
    server = await startFixtureServer();
  } catch (e) {
    if (e instanceof OpensslMissingError) throw new DemoPrerequisite(e.message);
    throw e;
  }
  scope.defer('close the exchange pages server', () => server.close());
  return { chromiumArgs: server.chromiumArgs, served: server.requests };
}
