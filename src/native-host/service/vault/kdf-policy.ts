/**
 * Which scrypt parameters a vault may be made with and opened with (docs/security-model.md).
 *
 * - Unlock reads the parameters from the file's header. The header is authenticated only by the
 *   key those parameters derive, so they are checked against a fixed window first: a header
 *   edited to a huge N, r or p would otherwise stall the unlock (or exhaust memory) before any tag
 *   could fail. Outside the window the vault is VAULT_CORRUPT, with the reason.
 * - The insecure test KDF (scrypt N=2^10) exists so tests can create vaults in milliseconds. A
 *   service uses it only when SENTINEL_TEST_KDF=insecure is set AND its SENTINEL_HOME is a test
 *   home: a folder inside the system's temp folder holding the marker file below, which only the
 *   dev harness writes. A production service never creates such a vault and refuses to open one.
 */
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { STRONG_KDF, type ScryptParams } from './crypto.js';

/** scrypt N=2^10, r=8, p=1: ~1 ms, 1 MiB. Tests only; brute-forceable. */
export const TEST_KDF: ScryptParams = { name: 'scrypt', N: 2 ** 10, r: 8, p: 1 };

/**
 * What a header may ask for. N·r·p bounds the work (at most 8× the default's) and, p being ≥ 1,
 * the memory (128·N·r ≤ 1 GiB).
 */
export const KDF_WINDOW = {
  log2N: { min: 14, max: 20 },
  r: { min: 8, max: 16 },
  p: { min: 1, max: 4 },
  maxWork: 2 ** 23,
} as const;

const WINDOW_TEXT = 'N 2^14..2^20, r 8..16, p 1..4, N·r·p ≤ 2^23';

export interface KdfMode {
  /** The insecure test KDF is accepted (and used for new vaults). */
  insecureTestKdf: boolean;
}

export function creationKdf(mode: KdfMode): ScryptParams {
  return mode.insecureTestKdf ? TEST_KDF : STRONG_KDF;
}

const isTestKdf = (k: ScryptParams): boolean =>
  k.N === TEST_KDF.N && k.r === TEST_KDF.r && k.p === TEST_KDF.p;

/** Why a header's parameters may not be used, or null when they may. */
export function kdfRefusal(kdf: ScryptParams, mode: KdfMode): string | null {
  if (isTestKdf(kdf)) {
    return mode.insecureTestKdf
      ? null
      : 'it was made with the insecure test KDF (scrypt N=2^10, a test service with ' +
          'SENTINEL_TEST_KDF), which a production service never opens';
  }
  const log2N = Math.log2(kdf.N);
  const out: string[] = [];
  if (!Number.isInteger(log2N) || log2N < KDF_WINDOW.log2N.min || log2N > KDF_WINDOW.log2N.max)
    out.push(`N=${kdf.N}`);
  if (kdf.r < KDF_WINDOW.r.min || kdf.r > KDF_WINDOW.r.max) out.push(`r=${kdf.r}`);
  if (kdf.p < KDF_WINDOW.p.min || kdf.p > KDF_WINDOW.p.max) out.push(`p=${kdf.p}`);
  if (out.length === 0 && kdf.N * kdf.r * kdf.p > KDF_WINDOW.maxWork)
    out.push(`N·r·p=${kdf.N * kdf.r * kdf.p}`);
  if (out.length === 0) return null;
  return `its scrypt parameters are outside the accepted window (${out.join(', ')}; accepted: ${WINDOW_TEXT})`;
}

// ---------------------------------------------------------------------------------------------
// The test switch

export const TEST_KDF_ENV = 'SENTINEL_TEST_KDF';
export const TEST_KDF_VALUE = 'insecure';
/** In a test home: the file, and its exact content. */
export const TEST_HOME_MARKER = 'TEST-HOME-INSECURE-KDF';
export const TEST_HOME_MARKER_TEXT =
  'This SENTINEL_HOME was made by the Sentinel Companion test harness. Its vault uses an ' +
  'insecure KDF: never keep real keys here.\n';

export interface TestKdfSwitch {
  on: boolean;
  /** SENTINEL_TEST_KDF was set but not honoured: why (the service logs it). */
  ignored?: string;
}

function inside(dir: string, parent: string): boolean {
  const rel = relative(parent, dir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Why `home` is not a test home, or null when it is. */
function notATestHome(env: NodeJS.ProcessEnv, home: string, tmp: string): string | null {
  if (!env.SENTINEL_HOME) return 'SENTINEL_HOME is not set';
  let real: string;
  let realTmp: string;
  try {
    real = realpathSync(home);
    realTmp = realpathSync(tmp);
  } catch {
    return `${home} or the temp folder ${tmp} does not exist`;
  }
  if (!inside(real, realTmp)) return `${home} is not inside the temp folder ${tmp}`;
  const marker = join(real, TEST_HOME_MARKER);
  try {
    const st = lstatSync(marker);
    const uid = process.getuid?.();
    if (!st.isFile() || (uid !== undefined && st.uid !== uid))
      return `${marker} is not a regular file of this user`;
    if (readFileSync(marker, 'utf8') !== TEST_HOME_MARKER_TEXT)
      return `${marker} does not hold the harness's text`;
  } catch {
    return `${home} has no ${TEST_HOME_MARKER} file (only the test harness makes one)`;
  }
  return null;
}

/** Whether a service in `home` with `env` uses the insecure test KDF. */
export function testKdfSwitch(
  env: NodeJS.ProcessEnv,
  home: string,
  tmp: string = tmpdir(),
): TestKdfSwitch {
  const value = env[TEST_KDF_ENV];
  if (value === undefined || value === '') return { on: false };
  const why =
    value !== TEST_KDF_VALUE
      ? `its only accepted value is "${TEST_KDF_VALUE}"`
      : notATestHome(env, home, tmp);
  if (why === null) return { on: true };
  return {
    on: false,
    ignored: `${TEST_KDF_ENV} is set but ignored (${why}): vaults use the production KDF`,
  };
}

/** The warning a test-KDF service logs at every start. */
export function testKdfWarning(home: string): string {
  return (
    `INSECURE TEST KDF: ${TEST_KDF_ENV}=${TEST_KDF_VALUE} in the test home ${home}. ` +
    'Vaults created here use scrypt N=2^10 and can be brute-forced; this service is for tests ' +
    'only. Never keep real keys here.'
  );
}
