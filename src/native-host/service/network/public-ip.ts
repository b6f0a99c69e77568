/**
 * This machine's public IP, as the exchanges will see it — what the user whitelists on the key.
 * Asked from a configurable source (config publicIpUrl / SENTINEL_PUBLIC_IP_URL) that answers
 * plain text or JSON {"ip": …}; cached briefly so the panel and the audit do not ask twice.
 */
import { isIP } from 'node:net';

export interface PublicIpResult {
  ip: string | null;
  checkedAt: string;
  /** Why ip is null, in words the user can act on. */
  problem?: string;
}

/** Pure: the IP in a source's answer, or null. */
export function parsePublicIpAnswer(body: string): string | null {
  const text = body.trim();
  let candidate = text;
  if (text.startsWith('{')) {
    try {
      const ip = (JSON.parse(text) as { ip?: unknown }).ip;
      candidate = typeof ip === 'string' ? ip.trim() : '';
    } catch {
      return null;
    }
  }
  return isIP(candidate) ? candidate : null;
}

const CACHE_MS = 5 * 60 * 1000;

export class PublicIpFinder {
  private cached: { result: PublicIpResult; at: number } | null = null;
  private inflight: Promise<PublicIpResult> | null = null;

  constructor(
    private readonly url: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly timeoutMs = 5000,
  ) {}

  async find(opts: { fresh?: boolean } = {}): Promise<PublicIpResult> {
    if (
      !opts.fresh &&
      this.cached &&
      Date.now() - this.cached.at < CACHE_MS &&
      this.cached.result.ip
    ) {
      return this.cached.result;
    }
    this.inflight ??= this.ask().finally(() => (this.inflight = null));
    return this.inflight;
  }

  private async ask(): Promise<PublicIpResult> {
    const checkedAt = new Date().toISOString();
    let result: PublicIpResult;
    try {
      const res = await this.fetchImpl(this.url, {
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'follow',
      });
      const ip = res.ok ? parsePublicIpAnswer(await res.text()) : null;
      result = ip
        ? { ip, checkedAt }
        : {
            ip: null,
            checkedAt,
            problem: `${this.url} answered ${res.status} without an IP address`,
          };
    } catch (err) {
      const why =
        err instanceof Error && err.name === 'TimeoutError'
          ? 'did not answer in time'
          : 'could not be reached';
      result = {
        ip: null,
        checkedAt,
        problem: `the public-IP source ${this.url} ${why}; check your connection, or set SENTINEL_PUBLIC_IP_URL`,
      };
    }
    this.cached = { result, at: Date.now() };
    return result;
  }
}
