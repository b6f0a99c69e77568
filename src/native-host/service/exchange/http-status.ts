/**
 * ccxt's errors do not say which HTTP status came back, and any 5xx from an exchange means
 * "status unknown" (Binance: "HTTP 5XX return codes are used for internal errors; the issue is on
 * Binance's side. It is important to NOT treat this as a failure operation; the execution status
 * is UNKNOWN and could have been a success"). The status is tagged on the error here and read by
 * exchange-error.ts (docs/trading.md, "Unknown outcomes").
 */
import type { Exchange } from 'ccxt';

export interface HttpStatusTagged {
  httpStatus?: number;
}

/** The HTTP status an exchange answered with, when the error came from a 4xx/5xx answer. */
export function httpStatusOf(err: unknown): number | undefined {
  const status = (err as HttpStatusTagged | null)?.httpStatus;
  return typeof status === 'number' ? status : undefined;
}

type StatusHandler = (code: number, ...rest: unknown[]) => unknown;

/** Tags errors thrown while ccxt reads an HTTP error answer with that answer's status. */
export function tagHttpStatus(client: Exchange): void {
  const self = client as unknown as Record<'handleErrors' | 'handleHttpStatusCode', StatusHandler>;
  for (const name of ['handleErrors', 'handleHttpStatusCode'] as const) {
    const original = self[name].bind(client);
    self[name] = (code, ...rest) => {
      try {
        return original(code, ...rest);
      } catch (err) {
        if (err instanceof Error && typeof code === 'number' && code >= 400)
          Object.assign(err, { httpStatus: code });
        throw err;
      }
    };
  }
}
