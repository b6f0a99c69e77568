/**
 * The credential vault: a random 256-bit data key encrypts the secrets (AES-256-GCM, fresh nonce
 * per save); the data key is wrapped by a key derived from the user's passphrase (scrypt). While
 * unlocked, the service holds the data key and the decrypted contents in memory; lock drops them.
 * A passphrase change re-keys: a new data key, the secrets re-sealed under it, the backup replaced
 * (vault-file.ts commitRekey) — the old passphrase opens nothing the host keeps afterwards.
 */
import { existsSync, readFileSync } from 'node:fs';
import { RpcError } from '../../../protocol/jsonrpc.js';
import type { KeyAlgorithm, VaultState } from '../../../protocol/methods.js';
import type { ExchangeId } from '../../../exchanges/types.js';
import { deriveKey, open, randomKey, randomSalt, seal, type ScryptParams } from './crypto.js';
import {
  VaultFormatError,
  decodeFile,
  encodeFile,
  encodeHeader,
  encodeWrappedKey,
  type VaultHeader,
} from './format.js';
import { creationKdf, kdfRefusal } from './kdf-policy.js';
import {
  alignBackup,
  commitRekey,
  enforceFileModes,
  removeStaleTemps,
  saveVault,
  vaultPaths,
  type VaultPaths,
} from './vault-file.js';

export interface StoredCredentials {
  apiKey: string;
  secret: string;
  passphrase?: string;
}

/** A signal subscription's secrets: the relay token, and the provider kid pinned at first hello. */
export interface StoredSubscription {
  token: string;
  providerKid?: string;
  /**
   * What the state DB holds of the subscription, so it can be rebuilt if the DB is lost (relay
   * URL, provider key, routes, creation time). Added later: older entries lack it until the next
   * unlock copies it from the DB.
   */
  meta?: { url: string; providerKey: string; routes: unknown[]; createdAt: string };
}

/**
 * A key pair the host made (keys.generate) and no connection uses yet. Once attached, the private
 * key becomes that connection's `secret` and this entry is erased; unattached, it is erased a day
 * after `createdAt` (service/keys/generated-keys.ts).
 */
export interface StoredGeneratedKey {
  exchange: ExchangeId;
  algorithm: KeyAlgorithm;
  /** PKCS#8 PEM: never leaves the service except into the exchange client's signer. */
  privateKeyPem: string;
  publicKeyPem: string;
  createdAt: string;
}

export interface VaultContents {
  v: 1;
  connections: Record<string, StoredCredentials>;
  /** By subscription id (service/feeds/relay-secrets.ts). Added later: older vaults lack it. */
  subscriptions?: Record<string, StoredSubscription>;
  /** Generated keys not attached yet, by key id. Added later: older vaults lack it. */
  generatedKeys?: Record<string, StoredGeneratedKey>;
}

export const MIN_PASSPHRASE_LENGTH = 8;

interface Unlocked {
  dataKey: Buffer;
  /** magic + header + wrapped key: reused by every save until the passphrase changes. */
  prefix: Buffer;
  contents: VaultContents;
}

export interface VaultOptions {
  /**
   * Create with the insecure test KDF and accept it at unlock (kdf-policy.ts). Only tests, and a
   * service whose test switch is on, pass it.
   */
  insecureTestKdf?: boolean;
}

export class Vault {
  readonly paths: VaultPaths;
  /** Whether this vault creates and opens test vaults (see VaultOptions). */
  readonly insecureTestKdf: boolean;
  private readonly kdf: ScryptParams;
  private unlocked: Unlocked | null = null;
  /** Saves run one after another, so two requests never interleave their writes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(home: string, opts: VaultOptions = {}) {
    this.paths = vaultPaths(home);
    this.insecureTestKdf = opts.insecureTestKdf === true;
    this.kdf = creationKdf(this);
  }

  /**
   * At service start: tighten file modes, clear dead writers' temp files, replace a backup left
   * under another passphrase than the vault's (an interrupted passphrase change); returns what it
   * fixed.
   */
  checkFiles(): string[] {
    return [
      ...enforceFileModes(this.paths),
      ...removeStaleTemps(this.paths),
      ...alignBackup(this.paths),
    ];
  }

  state(): VaultState {
    if (this.unlocked) return 'unlocked';
    return existsSync(this.paths.file) || existsSync(this.paths.backup) ? 'locked' : 'absent';
  }

  async create(passphrase: string): Promise<void> {
    checkPassphrase(passphrase);
    return this.serial(async () => {
      if (existsSync(this.paths.file) || existsSync(this.paths.backup)) {
        throw new RpcError(
          'VAULT_EXISTS',
          `a vault already exists at ${this.paths.file}; unlock it instead`,
        );
      }
      const dataKey = randomKey();
      const prefix = await this.wrap(dataKey, passphrase);
      const contents: VaultContents = { v: 1, connections: {} };
      saveVault(this.paths, sealContents(dataKey, prefix, contents));
      this.unlocked = { dataKey, prefix, contents };
    });
  }

  /**
   * The passphrase is checked against the file in every state: a wrong one is BAD_PASSPHRASE even
   * while unlocked (which stays unlocked). Nothing is ever written.
   */
  async unlock(passphrase: string): Promise<void> {
    return this.serial(async () => {
      const opened = await this.openFile(passphrase, 'wrong passphrase; nothing was changed');
      if (this.unlocked) {
        // Already open (and the file is what this service last wrote): the check was the point.
        opened.dataKey.fill(0);
        return;
      }
      this.unlocked = {
        dataKey: opened.dataKey,
        prefix: Buffer.from(opened.file.prefixBytes),
        contents: opened.contents,
      };
    });
  }

  lock(): void {
    if (!this.unlocked) return;
    this.unlocked.dataKey.fill(0);
    this.unlocked = null;
  }

  /**
   * Re-keys: checks the old passphrase against the file, draws a new data key, wraps it under the
   * new passphrase (new salt) and re-seals every secret under it; then `commitRekey` writes the
   * backup and the vault, in that order. When it returns, neither file opens with the old
   * passphrase, and a copy of the vault taken before holds none of the secrets added after.
   * A wrong old passphrase is BAD_PASSPHRASE and changes nothing (an unlocked vault stays so).
   */
  async changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    checkPassphrase(newPassphrase);
    return this.serial(async () => {
      const opened = await this.openFile(
        oldPassphrase,
        'the current passphrase is wrong; nothing was changed',
      );
      opened.dataKey.fill(0); // the old data key is not used again
      const dataKey = randomKey();
      const prefix = await this.wrap(dataKey, newPassphrase);
      const bytes = sealContents(dataKey, prefix, opened.contents);
      const adopt = (): void => {
        if (this.unlocked) this.unlocked.dataKey.fill(0);
        this.unlocked = { dataKey, prefix, contents: opened.contents };
      };
      try {
        commitRekey(this.paths, opened.bytes, bytes);
      } catch (err) {
        // An I/O error after the commit's rename (the folder's fsync): the vault holds the new
        // key, so this process must seal with it from now on, or its next save would undo it.
        if (this.fileIs(bytes)) adopt();
        else dataKey.fill(0);
        throw err;
      }
      adopt();
    });
  }

  /** The decrypted contents; VAULT_LOCKED / VAULT_ABSENT otherwise. Do not keep references. */
  read(): Readonly<VaultContents> {
    return this.requireUnlocked().contents;
  }

  /** Change the contents and save them; on a failed save the in-memory contents stay as before. */
  async update(change: (draft: VaultContents) => void): Promise<void> {
    return this.serial(async () => {
      const u = this.requireUnlocked();
      const draft = structuredClone(u.contents);
      change(draft);
      saveVault(this.paths, sealContents(u.dataKey, u.prefix, draft));
      u.contents = draft;
    });
  }

  private requireUnlocked(): Unlocked {
    if (this.unlocked) return this.unlocked;
    if (this.state() === 'absent') {
      throw new RpcError(
        'VAULT_ABSENT',
        'no vault yet: create one first (popup, or "sentinel-host vault create")',
      );
    }
    throw new RpcError(
      'VAULT_LOCKED',
      'the vault is locked: unlock it first (popup, or "sentinel-host vault unlock")',
    );
  }

  /** Read the vault file and open it with `passphrase`; BAD_PASSPHRASE (`wrong`) otherwise. */
  private async openFile(
    passphrase: string,
    wrong: string,
  ): Promise<{
    bytes: Buffer;
    file: ReturnType<typeof decodeFile>;
    dataKey: Buffer;
    contents: VaultContents;
  }> {
    const { bytes, file } = this.readFile();
    const kek = await deriveKey(
      passphrase,
      Buffer.from(file.header.salt, 'base64'),
      file.header.kdf,
    );
    const dataKey = open(kek, file.wrappedKey, file.headerBytes);
    kek.fill(0);
    if (!dataKey) throw new RpcError('BAD_PASSPHRASE', wrong);
    const plain = open(dataKey, file.secrets, file.prefixBytes);
    if (!plain) {
      // The key unwrapped, so the passphrase is right: the secrets' bytes were changed.
      dataKey.fill(0);
      throw this.corrupt('the secrets do not authenticate');
    }
    const contents = parseContents(plain);
    plain.fill(0);
    if (!contents) {
      dataKey.fill(0);
      throw this.corrupt('the secrets are not in the expected form');
    }
    return { bytes, file, dataKey, contents };
  }

  private fileIs(bytes: Buffer): boolean {
    try {
      return readFileSync(this.paths.file).equals(bytes);
    } catch {
      return false;
    }
  }

  private readFile(): { bytes: Buffer; file: ReturnType<typeof decodeFile> } {
    if (!existsSync(this.paths.file)) {
      if (existsSync(this.paths.backup)) throw this.corrupt('the vault file is missing');
      throw new RpcError(
        'VAULT_ABSENT',
        'no vault yet: create one first (popup, or "sentinel-host vault create")',
      );
    }
    const bytes = readFileSync(this.paths.file);
    let file: ReturnType<typeof decodeFile>;
    try {
      file = decodeFile(bytes);
    } catch (err) {
      if (err instanceof VaultFormatError) throw this.corrupt(err.message);
      throw err;
    }
    // Before any KDF run: a header edited to a huge N or p must not stall the unlock.
    const refusal = kdfRefusal(file.header.kdf, this);
    if (refusal) throw this.corrupt(refusal);
    return { bytes, file };
  }

  private corrupt(why: string): RpcError {
    const hasBackup = existsSync(this.paths.backup);
    const advice = hasBackup
      ? `The previous version is kept at ${this.paths.backup}: stop the service, copy it over ${this.paths.file}, and unlock again.`
      : 'No backup exists yet. Keep the file for inspection; nothing was changed.';
    return new RpcError(
      'VAULT_CORRUPT',
      `the vault at ${this.paths.file} cannot be read: ${why}. ${advice}`,
      {
        file: this.paths.file,
        ...(hasBackup ? { backup: this.paths.backup } : {}),
      },
    );
  }

  private async wrap(dataKey: Buffer, passphrase: string): Promise<Buffer> {
    const salt = randomSalt();
    const header: VaultHeader = { v: 1, kdf: this.kdf, salt: salt.toString('base64') };
    const headerBytes = encodeHeader(header);
    const kek = await deriveKey(passphrase, salt, this.kdf);
    const wrapped = seal(kek, dataKey, headerBytes);
    kek.fill(0);
    return encodeWrappedKey(headerBytes, wrapped);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || [...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new RpcError(
      'INVALID_PARAMS',
      `the vault passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`,
    );
  }
}

function sealContents(dataKey: Buffer, prefix: Buffer, contents: VaultContents): Buffer {
  const plain = Buffer.from(JSON.stringify(contents));
  const sealed = seal(dataKey, plain, prefix);
  plain.fill(0);
  return encodeFile(prefix, sealed);
}

function parseContents(plain: Buffer): VaultContents | null {
  try {
    const c = JSON.parse(plain.toString('utf8')) as Partial<VaultContents>;
    if (c.v !== 1 || typeof c.connections !== 'object' || c.connections === null) return null;
    return c as VaultContents;
  } catch {
    return null;
  }
}
