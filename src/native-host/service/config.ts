/**
 * The service's settings: $SENTINEL_HOME/config.json (written with defaults when absent), each
 * overridable by an environment variable (docs/protocol.md): SENTINEL_PUBLIC_IP_URL,
 * SENTINEL_ENDPOINT_BINANCE / _BYBIT / _OKX.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from './vault/vault-file.js';
import { parseEndpoint } from '../../protocol/params.js';
import { EXCHANGE_IDS, type ExchangeId } from '../../exchanges/types.js';
import { errorMessage } from '../../lib/error-text.js';

export interface HostConfig {
  /** Where network.publicIp asks; answers the IP as plain text or JSON {"ip": …}. */
  publicIpUrl: string;
  /** Default REST base URL per exchange for connections added without one. */
  endpoints: Partial<Record<ExchangeId, string>>;
  /** How often every connection is audited again while the vault is unlocked. */
  reauditHours: number;
  /**
   * The first wait before a live connection paused for unproven withdrawals (the exchange did not
   * answer its audit) is audited again; doubles up to reauditHours.
   */
  reauditRetryMinutes: number;
}

export const DEFAULT_CONFIG: HostConfig = {
  publicIpUrl: 'https://api.ipify.org?format=json',
  endpoints: {},
  reauditHours: 6,
  reauditRetryMinutes: 5,
};

export class ConfigError extends Error {}

export function loadConfig(home: string, env: NodeJS.ProcessEnv = process.env): HostConfig {
  const path = join(home, 'config.json');
  let fromFile: Partial<HostConfig> = {};
  if (existsSync(path)) {
    try {
      fromFile = JSON.parse(readFileSync(path, 'utf8')) as Partial<HostConfig>;
    } catch {
      throw new ConfigError(`${path} is not valid JSON; fix it or delete it to get the defaults`);
    }
  } else {
    writeAtomic(path, Buffer.from(`${JSON.stringify(DEFAULT_CONFIG, null, 2)}\n`));
  }
  const config: HostConfig = {
    publicIpUrl:
      typeof fromFile.publicIpUrl === 'string' ? fromFile.publicIpUrl : DEFAULT_CONFIG.publicIpUrl,
    endpoints: {},
    reauditHours:
      typeof fromFile.reauditHours === 'number' && fromFile.reauditHours >= 0.01
        ? fromFile.reauditHours
        : DEFAULT_CONFIG.reauditHours,
    reauditRetryMinutes:
      typeof fromFile.reauditRetryMinutes === 'number' && fromFile.reauditRetryMinutes >= 0.01
        ? fromFile.reauditRetryMinutes
        : DEFAULT_CONFIG.reauditRetryMinutes,
  };
  if (env.SENTINEL_PUBLIC_IP_URL) config.publicIpUrl = env.SENTINEL_PUBLIC_IP_URL;
  for (const ex of EXCHANGE_IDS) {
    const value = env[`SENTINEL_ENDPOINT_${ex.toUpperCase()}`] ?? fromFile.endpoints?.[ex];
    if (!value) continue;
    try {
      config.endpoints[ex] = parseEndpoint(value);
    } catch (err) {
      throw new ConfigError(`endpoint for ${ex} (${value}): ${errorMessage(err)}`);
    }
  }
  return config;
}
