/**
 * SIGKILL during passphrase changes (docs/security-model.md, "Changing the passphrase"): before
 * every file operation of the change in turn, and at random moments of changes run back to back.
 * After each kill the vault opens with exactly one of the two passphrases and holds every secret;
 * once it opens with the new one, no file in the home opens with the old one, and a copy taken
 * before the change opens none of its secrets with the old one; after the next start's file
 * check, no file opens with the passphrase the vault does not.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, requireBuiltHost } from '../helpers/host.js';
import { Vault, type VaultContents } from '../../src/native-host/service/vault/vault.js';
import { deriveKey, open } from '../../src/native-host/service/vault/crypto.js';
import { decodeFile } from '../../src/native-host/service/vault/format.js';

const REKEYER = join(ROOT, 'test/helpers/vault-rekeyer.mjs');
const TEST_KDF = { insecureTestKdf: true }; // as the child uses: the writes are tested, not scrypt
const PASSES = ['rekey crash passphrase A', 'rekey crash passphrase B'] as const;
const STEP_KILLS = 100;
const RANDOM_KILLS = 20;

interface Run {
  added: string | null;
  changed: boolean;
  lastChangedTo: number | null;
  killed: boolean;
  steps: number | null;
}

function run(home: string, args: string[], killAfterFirstChangeMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [REKEYER, home, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterFirstChangeMs !== undefined && !armed && out.includes('changed ')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterFirstChangeMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0)
        return reject(new Error(`rekeyer failed (${code}): ${err}`));
      const lines = out.split('\n').filter(Boolean);
      const added = lines.find((l) => l.startsWith('added '))?.slice(6) ?? null;
      const changes = lines.filter((l) => l.startsWith('changed '));
      const last = changes.at(-1)?.slice(8);
      resolve({
        added,
        changed: changes.length > 0,
        lastChangedTo: args[0] === 'loop' && last !== undefined ? Number(last) : null,
        killed: signal === 'SIGKILL',
        steps: args[0] === 'step' && last !== undefined ? Number(last) : null,
      });
    });
  });
}

/** Which of the two passphrases open these bytes as a vault (a Vault in a scratch home). */
async function opens(scratch: string, bytes: Buffer): Promise<Map<number, VaultContents>> {
  writeFileSync(join(scratch, 'vault.bin'), bytes);
  const found = new Map<number, VaultContents>();
  for (const i of [0, 1]) {
    const v = new Vault(scratch, TEST_KDF);
    try {
      await v.unlock(PASSES[i]!);
      found.set(i, structuredClone(v.read()));
    } catch {
      // does not open with this one (or is not a whole vault)
    }
    v.lock();
  }
  return found;
}

/** Every file in the home that could hold a vault: the vault, its backup, any temp file. */
function vaultLikeFiles(home: string): string[] {
  return readdirSync(home).filter((f) => f.startsWith('vault.bin') || f.includes('.tmp-'));
}

/** The data key a vault's bytes give with a passphrase, or null. */
async function dataKeyOf(bytes: Buffer, passphrase: string): Promise<Buffer | null> {
  const f = decodeFile(bytes);
  const kek = await deriveKey(passphrase, Buffer.from(f.header.salt, 'base64'), f.header.kdf);
  return open(kek, f.wrappedKey, f.headerBytes);
}

beforeAll(requireBuiltHost);

it(`a passphrase change survives SIGKILL before each of its steps (${STEP_KILLS}) and at random moments (${RANDOM_KILLS})`, async () => {
  const home = mkdtempSync(join(tmpdir(), 'sc-rekey-'));
  const scratch = mkdtempSync(join(tmpdir(), 'sc-rekey-try-'));
  try {
    const secrets = new Set<string>();
    // A dry run counts the file operations of one change.
    const dry = await run(home, ['step', '1000000']);
    secrets.add(dry.added!);
    const steps = dry.steps!;
    expect(steps).toBeGreaterThan(10);
    let current = 1; // the dry run changed A → B
    const outcomes = { kept: 0, changed: 0 };
    const killedAt = new Set<number>();

    for (let i = 0; i < STEP_KILLS + RANDOM_KILLS; i++) {
      const before = readFileSync(join(home, 'vault.bin')); // a copy taken before the change
      const stepMode = i < STEP_KILLS;
      const k = i % steps;
      const r = stepMode
        ? await run(home, ['step', String(k)])
        : await run(home, ['loop'], Math.random() * 12);
      expect(r.killed, `run ${i}`).toBe(true);
      expect(r.added, `run ${i}`).not.toBeNull();
      secrets.add(r.added!);
      if (stepMode) {
        expect(r.changed).toBe(false);
        killedAt.add(k);
      }

      // The vault opens with exactly one of the two passphrases and holds every secret.
      const winners = await opens(scratch, readFileSync(join(home, 'vault.bin')));
      expect([...winners.keys()], `run ${i}: passphrases that open the vault`).toHaveLength(1);
      const [winner, contents] = [...winners][0]!;
      expect(new Set(Object.keys(contents.connections)), `run ${i}`).toEqual(secrets);
      for (const id of secrets) expect(contents.connections[id]?.apiKey).toBe(`key-${id.slice(2)}`);
      if (r.lastChangedTo !== null)
        expect([r.lastChangedTo, 1 - r.lastChangedTo]).toContain(winner);

      // In step mode the one change committed iff the vault opens with the new passphrase; then
      // nothing in the home opens with the old one, not even before the next start's check.
      if (stepMode && winner !== current) {
        for (const f of vaultLikeFiles(home)) {
          const o = await opens(scratch, readFileSync(join(home, f)));
          expect(o.has(current), `run ${i}: ${f} opens with the old passphrase`).toBe(false);
        }
      }
      // A copy from before, with its passphrase, opens none of the secrets once a change
      // committed (in loop mode at least one did): the data key is new.
      const oldKey = await dataKeyOf(before, PASSES[current]!);
      expect(oldKey, `run ${i}`).not.toBeNull();
      const now = decodeFile(readFileSync(join(home, 'vault.bin')));
      const committed = !stepMode || winner !== current;
      expect(open(oldKey!, now.secrets, now.prefixBytes) === null, `run ${i}`).toBe(committed);

      outcomes[winner === current ? 'kept' : 'changed']++;
      current = winner;

      // The next start's file check: no temp file is left, and nothing opens with the other one.
      new Vault(home, TEST_KDF).checkFiles();
      const files = vaultLikeFiles(home);
      expect(
        files.filter((f) => f.includes('.tmp-')),
        `run ${i}`,
      ).toEqual([]);
      for (const f of files) {
        const o = await opens(scratch, readFileSync(join(home, f)));
        expect(o.has(1 - current), `run ${i}: ${f} after the check`).toBe(false);
        expect(o.has(current), `run ${i}: ${f} after the check`).toBe(true);
      }
    }
    // Every step was hit, and kills landed both before and after the commit.
    expect(killedAt.size).toBe(steps);
    expect(outcomes.kept).toBeGreaterThan(0);
    expect(outcomes.changed).toBeGreaterThan(0);
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}, 180_000); // ~16 s alone; 120 child processes, so generous on a loaded 2-core machine
