/**
 * 5. Vault unlock, in-process (the Vault class, STRONG_KDF), with 1 and 1,000 stored
 * connections: the KDF alone (deriveKey with the file's own salt and parameters), the full
 * unlock (read the file, KDF, unwrap the data key, decrypt and parse the secrets), and the rest =
 * unlock − KDF, run by run. KDF and unlock alternate.
 *
 * The rest is small next to the KDF's own run-to-run spread, so it is also measured directly on an
 * identical vault whose KDF costs almost nothing (scrypt N=2^10): there unlock − KDF is the rest.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { preciseNow, stat, type Scope, type Stat } from './common.js';
import type { Measurement } from './measurement.js';
import { ms, p50p99, percent, ratio, type Row } from './report.js';
import { STRONG_KDF, deriveKey } from '../../src/native-host/service/vault/crypto.js';
import { decodeFile } from '../../src/native-host/service/vault/format.js';
import { TEST_KDF as WEAK_KDF } from '../../src/native-host/service/vault/kdf-policy.js';
import { Vault, type VaultOptions } from '../../src/native-host/service/vault/vault.js';

const PASS = 'bench vault passphrase';
const STRONG: VaultOptions = {};
/** scrypt N=2^10: the vault's test KDF. */
const WEAK: VaultOptions = { insecureTestKdf: true };

interface Split {
  kdf: Stat;
  unlock: Stat;
  rest: Stat;
  fileBytes: number;
}

async function split(
  scope: Scope,
  kdf: VaultOptions,
  connections: number,
  runs: number,
): Promise<Split> {
  const home = scope.tempDir('scb-v-');
  const vault = new Vault(home, kdf);
  await vault.create(PASS);
  await vault.update((d) => {
    for (let i = 0; i < connections; i++)
      d.connections[randomUUID()] = {
        apiKey: randomBytes(48).toString('base64url'), // 64 characters, as Binance's
        secret: randomBytes(48).toString('base64url'),
      };
  });
  vault.lock();
  const bytes = readFileSync(vault.paths.file);
  const file = decodeFile(bytes);
  const salt = Buffer.from(file.header.salt, 'base64');
  const kdfTimes: number[] = [];
  const unlockTimes: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = preciseNow();
    const key = await deriveKey(PASS, salt, file.header.kdf);
    const k = preciseNow() - t;
    key.fill(0);
    const fresh = new Vault(home, kdf);
    t = preciseNow();
    await fresh.unlock(PASS);
    const u = preciseNow() - t;
    if (Object.keys(fresh.read().connections).length !== connections)
      throw new Error('the unlocked vault does not hold what was stored');
    fresh.lock();
    kdfTimes.push(k);
    unlockTimes.push(u);
    rest.push(u - k);
  }
  return {
    kdf: stat(kdfTimes),
    unlock: stat(unlockTimes),
    rest: stat(rest),
    fileBytes: bytes.length,
  };
}

export function vaultUnlock(strongRuns: number, weakRuns: number): Measurement {
  return {
    id: '5',
    title: 'Vault unlock',
    timeoutMs: 120_000,
    async run(scope, progress) {
      const rows: Row[] = [];
      const details: Record<string, unknown> = { kdf: STRONG_KDF, restKdf: WEAK_KDF };
      const letters = 'abcd';
      let li = 0;
      for (const count of [1, 1000]) {
        progress(`${count} connection(s)…`);
        const strong = await split(scope, STRONG, count, strongRuns);
        const weak = await split(scope, WEAK, count, weakRuns);
        details[`connections${count}`] = { strong, restMeasuredWithWeakKdf: weak };
        const label = count === 1 ? '1 connection' : `${count.toLocaleString('en')} connections`;
        const baseline = `${p50p99(strong.kdf)} (the KDF alone: scrypt N=2^17 r=8 p=1)`;
        rows.push({
          id: `5${letters[li++]}`,
          what: `Vault unlock, ${label} (vault file ${(strong.fileBytes / 1024).toFixed(1)} KiB): full unlock`,
          result: p50p99(strong.unlock),
          baseline,
          ratio: ratio(strong.unlock.p50, strong.kdf.p50),
          n: `${strong.unlock.n} + ${strong.kdf.n}`,
          data: { unit: 'ms', unlock: strong.unlock, kdf: strong.kdf },
        });
        rows.push({
          id: `5${letters[li++]}`,
          what: `Vault unlock, ${label}: the rest (unlock − KDF: read, unwrap, decrypt, parse)`,
          result: `${p50p99(weak.rest)} measured apart; run by run with the strong KDF: ${p50p99(strong.rest)} (inside the KDF's own spread)`,
          baseline,
          ratio: `${percent(weak.rest.p50, strong.kdf.p50)} of the KDF`,
          n: `${weak.rest.n}; ${strong.rest.n}`,
          data: { unit: 'ms', rest: strong.rest, restMeasuredApart: weak.rest, kdf: strong.kdf },
        });
      }
      return {
        rows,
        notes: [
          `"measured apart": unlock − KDF on an identical vault whose KDF is scrypt N=2^10 (≈${ms((details['connections1'] as { restMeasuredWithWeakKdf: Split }).restMeasuredWithWeakKdf.kdf.p50)}), where the KDF's spread no longer hides the rest; the rest's ratio uses it. With ${strongRuns} runs, p99 is the slowest run.`,
        ],
        details,
      };
    },
  };
}
