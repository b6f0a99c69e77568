/**
 * The insecure test KDF through the real service: on only with SENTINEL_TEST_KDF=insecure in a
 * test home, announced at every start and in host.hello, status and doctor; a production service
 * refuses the vault it made; the variable alone (an unmarked home) changes nothing but a warning.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupHome, hostEnv, requireBuiltHost, runCli } from '../helpers/host.js';
import { STRONG_KDF } from '../../src/native-host/service/vault/crypto.js';
import { decodeFile } from '../../src/native-host/service/vault/format.js';
import {
  TEST_HOME_MARKER,
  TEST_HOME_MARKER_TEXT,
  TEST_KDF,
} from '../../src/native-host/service/vault/kdf-policy.js';

const PASS = 'test-kdf passphrase';
const homes: string[] = [];

beforeAll(requireBuiltHost);
afterEach(async () => {
  for (const home of homes.splice(0)) await cleanupHome(home);
});

/** A fresh home in the temp folder; `marked`: with the marker only the dev harness writes. */
function newHome(marked: boolean): string {
  const home = mkdtempSync(join(tmpdir(), 'sc-kdf-'));
  homes.push(home);
  if (marked) writeFileSync(join(home, TEST_HOME_MARKER), TEST_HOME_MARKER_TEXT);
  return home;
}

const testEnv = (home: string) => hostEnv(home, { SENTINEL_TEST_KDF: 'insecure' });

/** Without the test switch: a production service. */
function productionEnv(home: string): NodeJS.ProcessEnv {
  const env = hostEnv(home);
  delete env.SENTINEL_TEST_KDF;
  return env;
}

async function status(env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const r = await runCli(['status', '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const headerKdf = (home: string) => decodeFile(readFileSync(join(home, 'vault.bin'))).header.kdf;
const log = (home: string) => readFileSync(join(home, 'logs', 'service.log'), 'utf8');

it('on in a test home: loud at every start, reported, and its vault refused in production', async () => {
  const home = newHome(true);
  const env = testEnv(home);
  for (let start = 1; start <= 2; start++) {
    expect((await runCli(['service', 'start'], env)).code).toBe(0);
    expect(await status(env)).toMatchObject({ insecureTestKdf: true });
    const warnings = log(home).match(/WARN .*INSECURE TEST KDF.*Never keep real keys here/g);
    expect(warnings?.length).toBe(start);
    if (start === 1) {
      const created = await runCli(['vault', 'create'], env, Buffer.from(`${PASS}\n`));
      expect(created.code, created.stderr).toBe(0);
      expect(headerKdf(home)).toEqual(TEST_KDF);
    }
    const text = await runCli(['status'], env);
    expect(text.stdout).toMatch(/vault: +(unlocked|locked) — TEST VAULT: insecure test KDF/);
    const doctor = await runCli(['doctor'], env);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/\[FAIL\] service reachable: .*INSECURE TEST KDF/);
    expect((await runCli(['service', 'stop'], env)).code).toBe(0);
  }

  // The same home without the switch: a production service, which never opens a test vault.
  const production = productionEnv(home);
  expect((await runCli(['service', 'start'], production)).code).toBe(0);
  const hello = await status(production);
  expect(hello.insecureTestKdf).toBeUndefined();
  expect(hello.vault).toBe('locked');
  const unlock = await runCli(['vault', 'unlock'], production, Buffer.from(`${PASS}\n`));
  expect(unlock.code).toBe(1);
  expect(unlock.stderr).toContain('VAULT_CORRUPT');
  expect(unlock.stderr).toMatch(/insecure test KDF.*production service never opens/);
  expect((await runCli(['status'], production)).stdout).not.toContain('TEST VAULT');
});

it('the variable alone (a home the harness did not mark) is ignored, with a warning', async () => {
  const home = newHome(false);
  const env = testEnv(home);
  expect((await runCli(['service', 'start'], env)).code).toBe(0);
  expect((await status(env)).insecureTestKdf).toBeUndefined();
  expect(log(home)).toMatch(
    /WARN .*SENTINEL_TEST_KDF is set but ignored \(.*has no TEST-HOME-INSECURE-KDF file.*\): vaults use the production KDF/,
  );
  const created = await runCli(['vault', 'create'], env, Buffer.from(`${PASS}\n`));
  expect(created.code, created.stderr).toBe(0);
  expect(headerKdf(home)).toEqual(STRONG_KDF);
});
