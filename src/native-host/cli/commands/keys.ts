/**
 * `sentinel-host keys …`: key pairs made on this machine (docs/security-model.md). `generate`
 * prints the public key and where to paste it; the private key stays sealed in the vault and is
 * never printed. The API key the exchange then shows goes to `connections add … --key-id ID`.
 */
import { parseArgs } from 'node:util';
import { profileNamed } from '../../../exchanges/index.js';
import type { ExchangeId } from '../../../exchanges/types.js';
import type { MethodName, ParamsOf, ResultOf, UnattachedKey } from '../../../protocol/methods.js';
import { KEY_EXCHANGES } from '../../../protocol/params.js';
import { callService } from '../../ipc/client.js';
import { hostPaths } from '../../paths.js';
import { asTyped, cliName, cmd } from '../command-name.js';

const call = <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> =>
  callService(hostPaths(), method, params, { timeoutMs: 30_000 });
const out = (text: string): void => void process.stdout.write(`${text}\n`);
const err = (text: string): void => void process.stderr.write(`${text}\n`);

function describeKey(k: UnattachedKey): string {
  return `${k.keyId}  ${k.exchange.padEnd(7)} ${k.algorithm.padEnd(7)} made ${k.createdAt}, erased ${k.expiresAt} unless attached`;
}

export async function runKeysCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'generate': {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: { exchange: { type: 'string' }, json: { type: 'boolean' } },
      });
      if (!values.exchange) {
        err(
          `usage: ${cliName()} keys generate --exchange ${KEY_EXCHANGES.join('|')} [--json] (OKX offers no self-generated keys)`,
        );
        return 2;
      }
      // The exchange as typed: the service names what it accepts (and says OKX plainly).
      const key = await call('keys.generate', { exchange: values.exchange as ExchangeId });
      if (values.json) {
        out(JSON.stringify(key));
        return 0;
      }
      const profile = profileNamed(values.exchange);
      out(`Generated ${key.algorithm === 'ed25519' ? 'an Ed25519' : 'an RSA'} key ${key.keyId}.`);
      out('The private key is sealed in the vault on this machine; it is never shown or sent.');
      out('');
      out('Public key (paste it on the exchange):');
      out('');
      out(key.publicKeyPem.trimEnd());
      out('');
      if (profile?.selfGeneratedKey) out(profile.selfGeneratedKey.where);
      out(
        `Tick only the permissions the guide recommends and restrict the key to this machine's IP.`,
      );
      out(
        `Then: ${cmd(`connections add --exchange ${values.exchange} --label "…" --key-id ${key.keyId}`)}`,
      );
      out(`(it asks only for the API key). Not attached within a day, the key is erased.`);
      return 0;
    }
    case 'list': {
      const keys = await call('keys.list', {});
      if (rest.includes('--json')) out(JSON.stringify(keys));
      else if (keys.length === 0) out('no generated keys waiting to be attached');
      else
        for (const k of keys) {
          out(describeKey(k));
          if (rest.includes('--pem')) out(k.publicKeyPem.trimEnd());
        }
      return 0;
    }
    case 'discard': {
      const [keyId] = rest;
      if (!keyId || keyId.startsWith('-')) {
        err(`usage: ${cliName()} keys discard ID (see "${cmd('keys list')}")`);
        return 2;
      }
      await call('keys.discard', { keyId });
      out(
        asTyped(
          `discarded ${keyId}. If you created an API key on the exchange with its public key, delete it there too.`,
        ),
      );
      return 0;
    }
    default:
      err(`usage: ${cliName()} keys generate|list|discard`);
      return 2;
  }
}
