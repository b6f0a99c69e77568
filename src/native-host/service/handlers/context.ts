/** What every group of method handlers may use. */
import type { HostConfig } from '../config.js';
import type { Logger } from '../../log.js';
import type { PublicIpFinder } from '../network/public-ip.js';
import type { StateDb } from '../store/state-db.js';
import type { Vault } from '../vault/vault.js';
import type { NotificationName } from '../../../protocol/methods.js';

export interface ServiceContext {
  startedAt: string;
  vault: Vault;
  db: StateDb;
  config: HostConfig;
  publicIp: PublicIpFinder;
  log: Logger;
  /** Pause-all: survives restarts (settings table). */
  trading: { paused: boolean; reason?: string };
  notify(method: NotificationName, params: unknown): void;
}
