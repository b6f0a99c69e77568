/**
 * `sentinel-host vault …` and `sentinel-host connections …`: the headless way (a VPS has no
 * browser) to do what the popup does, over the same socket and the same methods.
 */
import { parseArgs } from 'node:util';
import { asTyped, cliName } from '../command-name.js';
import { secretInput, type SecretInput } from '../input.js';
import { callService } from '../../ipc/client.js';
import { hostPaths } from '../../paths.js';
import { EXCHANGE_IDS, profileNamed } from '../../../exchanges/index.js';
import type { Environment, ExchangeId } from '../../../exchanges/types.js';
import type {
  Connection,
  CredentialsParam,
  MethodName,
  ParamsOf,
  ResultOf,
} from '../../../protocol/methods.js';

const call = <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> =>
  callService(hostPaths(), method, params, { timeoutMs: 30_000 });
const out = (text: string): void => void process.stdout.write(`${text}\n`);

async function newPassphrase(input: SecretInput, prompt: string): Promise<string> {
  const first = await input.ask(prompt, { hidden: true });
  if (!input.interactive) return first;
  const again = await input.ask('Type it again: ', { hidden: true });
  if (first !== again) throw new Error('the two passphrases differ; nothing was changed');
  return first;
}

export async function runVaultCommand(args: string[]): Promise<number> {
  const [sub] = args;
  const input = secretInput();
  try {
    switch (sub) {
      case 'create':
        await call('vault.create', {
          passphrase: await newPassphrase(input, 'New vault passphrase (8+ characters): '),
        });
        out('vault created and unlocked');
        return 0;
      case 'unlock':
        await call('vault.unlock', {
          passphrase: await input.ask('Vault passphrase: ', { hidden: true }),
        });
        out('vault unlocked');
        return 0;
      case 'lock':
        await call('vault.lock', {});
        out('vault locked');
        return 0;
      case 'passwd': {
        const old = await input.ask('Current vault passphrase: ', { hidden: true });
        await call('vault.changePassphrase', {
          old,
          new: await newPassphrase(input, 'New vault passphrase: '),
        });
        out('vault passphrase changed');
        return 0;
      }
      default:
        process.stderr.write(
          `usage: ${cliName()} vault create|unlock|lock|passwd (passphrases are read from the terminal or stdin)\n`,
        );
        return 2;
    }
  } finally {
    input.close();
  }
}

/** Say a locked or missing vault, with the command that fixes it, before asking for any secret. */
async function vaultReady(what: string): Promise<boolean> {
  const { vault } = await call('host.hello', { client: 'cli' });
  if (vault === 'unlocked') return true;
  process.stderr.write(
    vault === 'locked'
      ? `the vault is locked: unlock it first with "${cliName()} vault unlock", then ${what}\n`
      : `no vault yet: create one first with "${cliName()} vault create", then ${what}\n`,
  );
  return false;
}

/** API key, secret and, where the exchange's profile lists one (OKX), the API passphrase. */
async function askCredentials(
  input: SecretInput,
  exchange: string,
): Promise<{ apiKey: string; secret: string; passphrase?: string }> {
  const apiKey = (await input.ask('API key: ', { hidden: true })).trim();
  const secret = (await input.ask('Secret key: ', { hidden: true })).trim();
  const profile = profileNamed(exchange);
  const passphrase = profile?.credentialFields.some((f) => f.id === 'passphrase')
    ? await input.ask(`${profile.name} API passphrase: `, { hidden: true })
    : undefined;
  return { apiKey, secret, ...(passphrase !== undefined ? { passphrase } : {}) };
}

/**
 * `--key-id ID`: a key Sentinel generated (`keys generate`) — only the API key the exchange showed
 * for its public key is read; there is no secret to type. Else the exchange's credentials.
 */
async function askCredentialsFor(
  input: SecretInput,
  exchange: string,
  keyId: string | undefined,
): Promise<CredentialsParam> {
  if (keyId === undefined) return askCredentials(input, exchange);
  const apiKey = (
    await input.ask('API key (the one the exchange showed for the public key): ', {
      hidden: true,
    })
  ).trim();
  return { apiKey, keyId };
}

function describeConnection(c: Connection): string {
  const audit = c.lastAudit ? c.lastAudit.verdict : 'not audited';
  return `${c.id}  ${c.exchange.padEnd(7)} ${c.environment.padEnd(7)} ${c.mode.padEnd(7)} ${c.apiKeyHint}  ${audit}  "${c.label}"`;
}

export async function runConnectionsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': {
      const list = await call('connections.list', {});
      if (rest.includes('--json')) out(JSON.stringify(list));
      else if (list.length === 0) out('no connections yet');
      else list.forEach((c) => out(describeConnection(c)));
      return 0;
    }
    case 'add': {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: {
          exchange: { type: 'string' },
          label: { type: 'string' },
          environment: { type: 'string', default: 'live' },
          endpoint: { type: 'string' },
          futures: { type: 'boolean' },
          margin: { type: 'boolean' },
          options: { type: 'boolean' },
          'key-id': { type: 'string' },
          json: { type: 'boolean' },
        },
      });
      if (!values.exchange || !values.label) {
        process.stderr.write(
          `usage: ${cliName()} connections add --exchange ${EXCHANGE_IDS.join('|')} --label "…" [--environment live|testnet|demo] [--endpoint URL] [--futures] [--margin] [--options] [--key-id ID]\n` +
            'The API key, secret (and OKX passphrase) are then read from the terminal (hidden) or from stdin, one per line;\n' +
            `with --key-id (a key made by "${cliName()} keys generate"), only the API key.\n`,
        );
        return 2;
      }
      if (!(await vaultReady('add the connection'))) return 1;
      const input = secretInput();
      try {
        const credentials = await askCredentialsFor(input, values.exchange, values['key-id']);
        // Exchange and environment as the user typed them: the service checks them (INVALID_PARAMS
        // names the field and what it accepts).
        const result = await call('connections.add', {
          exchange: values.exchange as ExchangeId,
          label: values.label,
          environment: values.environment as Environment,
          ...(values.endpoint ? { endpoint: values.endpoint } : {}),
          needs: {
            futures: values.futures === true,
            margin: values.margin === true,
            options: values.options === true,
          },
          credentials,
        });
        if (values.json) out(JSON.stringify(result));
        else {
          out(`added ${describeConnection(result.connection)}`);
          for (const c of result.audit.checks) out(`  [${c.level}] ${asTyped(c.message)}`);
          out('New connections start in dry-run: orders are simulated until you switch them live.');
        }
        return 0;
      } finally {
        input.close();
      }
    }
    case 'rotate': {
      // Replace a connection's key (the new one is audited first; a blocked key keeps the old).
      const { values, positionals } = parseArgs({
        args: rest,
        strict: true,
        allowPositionals: true,
        options: { 'key-id': { type: 'string' }, json: { type: 'boolean' } },
      });
      const [id] = positionals;
      if (!id || positionals.length > 1) {
        process.stderr.write(`usage: ${cliName()} connections rotate ID [--key-id ID] [--json]\n`);
        return 2;
      }
      if (!(await vaultReady('rotate the key'))) return 1;
      const c = (await call('connections.list', {})).find((x) => x.id === id);
      if (!c) {
        process.stderr.write(`no connection ${id}; see "${cliName()} connections list"\n`);
        return 1;
      }
      const input = secretInput();
      try {
        const result = await call('connections.rotate', {
          id,
          credentials: await askCredentialsFor(input, c.exchange, values['key-id']),
        });
        if (values.json) out(JSON.stringify(result));
        else {
          out(`rotated ${describeConnection(result.connection)}`);
          for (const check of result.audit.checks)
            out(`  [${check.level}] ${asTyped(check.message)}`);
          out(`${asTyped(result.reminder)} (${result.apiPageUrl})`);
        }
        return 0;
      } finally {
        input.close();
      }
    }
    case 'remove': {
      const [id] = rest;
      if (!id) {
        process.stderr.write(`usage: ${cliName()} connections remove ID\n`);
        return 2;
      }
      await call('connections.remove', { id });
      out(`removed ${id}. Delete the key on the exchange's API page too, if you no longer use it.`);
      return 0;
    }
    case 'audit': {
      // Ask the exchange again (e.g. after a failed audit paused the connection or kept it from going live).
      const [id] = rest;
      if (!id) {
        process.stderr.write(`usage: ${cliName()} connections audit ID [--json]\n`);
        return 2;
      }
      const audit = await call('connections.audit', { id });
      if (rest.includes('--json')) out(JSON.stringify(audit));
      else {
        out(`audit of ${id}: ${audit.verdict}`);
        for (const c of audit.checks) out(`  [${c.level}] ${asTyped(c.message)}`);
        const now = (await call('connections.list', {})).find((c) => c.id === id);
        if (now?.pausedReason) out(`paused: ${asTyped(now.pausedReason)}`);
      }
      return 0;
    }
    default:
      process.stderr.write(`usage: ${cliName()} connections list|add|rotate|audit|mode|remove\n`);
      return 2;
  }
}
