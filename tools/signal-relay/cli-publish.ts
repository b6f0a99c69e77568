/** `publish`: sign a signal (or send it bare) and POST it to a relay. */
import { isPlainObject } from '../../src/signals/signal.js';
import { need, parseArgs, readSignal, readText, UsageError } from './cli-args.js';
import type { RelayCliIo } from './cli-io.js';
import { signWith } from './cli-keys.js';
import { errorMessage } from '../../src/lib/error-text.js';

export async function publishCommand(argv: string[], io: RelayCliIo): Promise<number> {
  const args = parseArgs(
    argv,
    ['url', 'token', 'token-file', 'key', 'kid', 'signal'],
    ['unsigned'],
  );
  let url: URL;
  try {
    url = new URL(need(args, 'url'));
  } catch {
    throw new UsageError('--url must be a URL such as http://127.0.0.1:8787');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError('--url must be http(s)://');
  if (!url.pathname.endsWith('/signals'))
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/signals`;
  const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(url.hostname);
  if (url.protocol === 'http:' && !loopback)
    io.stderr('relay: warning: sending the provider token over plain http to a remote host\n');

  const hasToken = args.values.has('token');
  const hasTokenFile = args.values.has('token-file');
  if (hasToken === hasTokenFile) throw new UsageError('give exactly one of --token, --token-file');
  const token = hasToken
    ? need(args, 'token')
    : readText(need(args, 'token-file'), 'token file').trim();

  const unsigned = args.flags.has('unsigned');
  if (unsigned && (args.values.has('key') || args.values.has('kid')))
    throw new UsageError('--unsigned cannot be combined with --key/--kid');
  if (!unsigned && !(args.values.has('key') && args.values.has('kid')))
    throw new UsageError('give --key FILE --kid K (or --unsigned to let the relay sign)');

  const signal = await readSignal(args, io);
  const body = unsigned ? signal : signWith(args, signal);
  if (unsigned && !isPlainObject(signal)) throw new UsageError('--signal must be a JSON object');

  let res: Response;
  try {
    res = await io.fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    io.stderr(`relay: cannot reach ${url.origin}: ${errorMessage(e)}\n`);
    return 1;
  }
  const text = (await res.text()).trim();
  io.stdout(`${text}\n`);
  if (!res.ok) {
    io.stderr(`relay: refused with HTTP ${res.status}\n`);
    return 1;
  }
  return 0;
}
