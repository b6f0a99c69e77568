/**
 * The background's answers to content scripts' host questions: the two requests of the allow-list
 * that reach the host, each mapped to a fixed host call whose answer is trimmed to the fields the
 * panel shows. (The third, content.setupTicket, never reaches the host: setup-tickets.ts.)
 */
import type { NativeHostLink } from './native-host-link.js';
import type {
  ContentStatus,
  HostContentRequest,
  HostStatus,
  PublicIpReply,
} from '../protocol/extension-messages.js';

/** A page cannot make the host ask the IP service more often than this. */
const FRESH_IP_INTERVAL_MS = 30_000;

/** What a content script may know of the host's state: connected or not, and the vault's state. */
export function contentStatusOf(s: HostStatus): ContentStatus {
  return { connection: s.connection, vault: s.hello?.vault ?? null };
}

export function contentRequestHandler(
  link: NativeHostLink,
  now: () => number = Date.now,
): (req: HostContentRequest) => Promise<ContentStatus | PublicIpReply> {
  let lastFresh = -Infinity;
  return async (req) => {
    if (req.type === 'content.status') {
      const s = await link.settled(5000);
      return contentStatusOf(s);
    }
    const fresh = req.fresh === true && now() - lastFresh >= FRESH_IP_INTERVAL_MS;
    if (fresh) lastFresh = now();
    const reply = await link.request('network.publicIp', { fresh });
    if (!reply.ok) return { ok: false, message: reply.error.message } satisfies PublicIpReply;
    const r = reply.result as { ip?: unknown; checkedAt?: unknown; problem?: unknown };
    return {
      ok: true,
      ip: typeof r.ip === 'string' ? r.ip : null,
      checkedAt: typeof r.checkedAt === 'string' ? r.checkedAt : '',
      ...(typeof r.problem === 'string' ? { problem: r.problem } : {}),
    } satisfies PublicIpReply;
  };
}
