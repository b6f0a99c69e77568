/**
 * keys.generate / keys.list / keys.discard: key pairs made on this machine (keys/generated-keys.ts).
 * The private key is sealed in the vault before the answer goes out and is never in an answer,
 * an error or a log line; only the public key and the id travel.
 */
import { PROFILES } from '../../../exchanges/profiles.js';
import { RpcError } from '../../../protocol/jsonrpc.js';
import { paramsObject, type GeneratedKey, type UnattachedKey } from '../../../protocol/methods.js';
import { parseKeyExchange, parseKeyId } from '../../../protocol/params.js';
import type { HandlerGroup } from '../../ipc/rpc-server.js';
import {
  MAX_UNATTACHED_KEYS,
  expiresAt,
  makeKeyPair,
  newKeyId,
  unattachedView,
} from '../keys/generated-keys.js';
import type { ServiceContext } from './context.js';

export type KeyMethod = 'keys.generate' | 'keys.list' | 'keys.discard';

export function keyHandlers(ctx: ServiceContext) {
  const unattached = (now = Date.now()): UnattachedKey[] =>
    Object.entries(ctx.vault.read().generatedKeys ?? {})
      .filter(([, k]) => expiresAt(k) > now)
      .map(([id, k]) => unattachedView(id, k))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  return {
    'keys.generate': async (params): Promise<GeneratedKey> => {
      const exchange = parseKeyExchange(
        'keys.generate',
        paramsObject('keys.generate', params).exchange,
      );
      // VAULT_LOCKED / VAULT_ABSENT before any work: the key has nowhere to go.
      if (unattached().length >= MAX_UNATTACHED_KEYS) {
        throw new RpcError(
          'INVALID_PARAMS',
          `${MAX_UNATTACHED_KEYS} generated keys are waiting to be attached: attach or discard some first ("sentinel-host keys list", "sentinel-host keys discard ID")`,
        );
      }
      const { algorithm } = PROFILES[exchange].selfGeneratedKey!;
      const pair = await makeKeyPair(algorithm);
      const keyId = newKeyId();
      await ctx.vault.update((draft) => {
        draft.generatedKeys ??= {};
        draft.generatedKeys[keyId] = {
          exchange,
          algorithm,
          privateKeyPem: pair.privateKeyPem,
          publicKeyPem: pair.publicKeyPem,
          createdAt: new Date().toISOString(),
        };
      });
      ctx.log.info(`generated key ${keyId} made (${exchange}, ${algorithm}); sealed in the vault`);
      return { keyId, algorithm, publicKeyPem: pair.publicKeyPem };
    },

    'keys.list': (): UnattachedKey[] => unattached(),

    'keys.discard': async (params) => {
      const keyId = parseKeyId('keys.discard', paramsObject('keys.discard', params).keyId);
      if (!ctx.vault.read().generatedKeys?.[keyId]) {
        throw new RpcError(
          'NOT_FOUND',
          `no unattached generated key ${keyId}: a key in use is a connection's now (remove or rotate the connection instead); see "sentinel-host keys list"`,
          { keyId },
        );
      }
      await ctx.vault.update((draft) => {
        delete draft.generatedKeys?.[keyId];
      });
      ctx.log.info(`generated key ${keyId} discarded`);
      return {};
    },
  } satisfies HandlerGroup<KeyMethod>;
}
