/**
 * SIGKILL at random points during repeated saves, 200 times: the vault must always open to
 * either the last committed content or the one being written — never torn, never lost.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, requireBuiltHost } from '../helpers/host.js';
import { Vault } from '../../src/native-host/service/vault/vault.js';

const WRITER = join(ROOT, 'test/helpers/vault-writer.mjs');
/** The vault's test KDF (scrypt N=2^10), as the writer uses: this tests saves, not the KDF. */
const TEST_KDF = { insecureTestKdf: true };
const KILLS = 200;

function runAndKill(home: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, home], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL')
        return reject(new Error(`writer exited by itself (${code}): ${err}`));
      const committed = out.split('\n').filter(Boolean).map(Number);
      resolve(committed.length ? Math.max(...committed) : -1);
    });
  });
}

beforeAll(requireBuiltHost);

it(`the vault survives ${KILLS} SIGKILLs during saves`, async () => {
  const home = mkdtempSync(join(tmpdir(), 'sc-crash-'));
  try {
    let lastSeen = 0;
    const outcomes = { old: 0, new: 0 };
    for (let i = 0; i < KILLS; i++) {
      const committed = await runAndKill(home, Math.floor(Math.random() * 25));
      const v = new Vault(home, TEST_KDF);
      await v.unlock('crash test passphrase');
      const n = Number(v.read().connections.c_counter?.apiKey.slice(8));
      v.lock();
      // Either the last value whose save returned, or the one in flight when the kill came.
      expect([committed, committed + 1], `kill ${i}`).toContain(n);
      expect(n).toBeGreaterThanOrEqual(lastSeen);
      outcomes[n === committed ? 'old' : 'new']++;
      lastSeen = n;
    }
    // Both outcomes happening shows the kills really landed inside saves.
    expect(outcomes.old).toBeGreaterThan(0);
    expect(lastSeen).toBeGreaterThan(KILLS);
    // The writers' temp files are cleared by the next start.
    const v = new Vault(home);
    v.checkFiles();
    expect(readdirSync(home).filter((f) => f.includes('.tmp-'))).toEqual([]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}, 180_000);

it('two writers racing: one gets a clear VAULT_BUSY error, the vault stays whole', async () => {
  const home = mkdtempSync(join(tmpdir(), 'sc-race-'));
  try {
    await runAndKill(home, 0); // create it
    const writers = [0, 1].map(() =>
      spawn(process.execPath, [WRITER, home], { stdio: ['ignore', 'ignore', 'pipe'] }),
    );
    const errors = ['', ''];
    writers.forEach((w, i) => w.stderr.on('data', (d: Buffer) => (errors[i] += d.toString())));
    const firstExit = await Promise.race(
      writers.map((w, i) => new Promise<number>((r) => w.once('exit', () => r(i)))),
    );
    writers.forEach((w) => w.kill('SIGKILL'));
    expect(errors[firstExit]).toMatch(/another process \(pid \d+\) is writing the vault/);
    const v = new Vault(home, TEST_KDF);
    await v.unlock('crash test passphrase');
    expect(v.read().connections.c_counter?.apiKey).toMatch(/^counter-\d+$/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}, 60_000);
