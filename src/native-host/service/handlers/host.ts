import { PROTOCOL_VERSION } from '../../../protocol/constants.js';
import { parseHelloParams, type HelloResult } from '../../../protocol/methods.js';
import type { CallerInfo, HandlerGroup } from '../../ipc/rpc-server.js';
import { extensionHellos, recordExtensionHello } from '../store/extension-hellos.js';
import { errorMessage } from '../../../lib/error-text.js';
import { integrityReport } from '../integrity/incident.js';
import { hostVersion } from '../../version.js';
import type { ServiceContext } from './context.js';
import { StateDbReads } from './host-db-reads.js';

/** How stale a connection's recorded hello may get while it keeps saying hello. */
export const HELLO_REFRESH_MS = 10 * 60_000;

/**
 * Which hellos reach the state DB. Each recording is a commit (an fsync with synchronous=FULL:
 * a third of a millisecond on a quiet disk, several on a busy one), so a connection that says
 * hello again with the same client is recorded at most once per `refreshMs`. A new connection (a
 * restarted browser background opens a new native port, so a new bridge and socket) or another
 * client is always recorded. Keyed by the connection's CallerInfo, one object per IPC connection.
 */
export class HelloRecords {
  private readonly last = new WeakMap<CallerInfo, { client: string | undefined; at: number }>();

  constructor(private readonly refreshMs: number = HELLO_REFRESH_MS) {}

  due(connection: CallerInfo, client: string | undefined, now: number): boolean {
    const last = this.last.get(connection);
    return !last || last.client !== client || now - last.at >= this.refreshMs;
  }

  noted(connection: CallerInfo, client: string | undefined, now: number): void {
    this.last.set(connection, { client, at: now });
  }
}

export function hostHandlers(ctx: ServiceContext, records: HelloRecords = new HelloRecords()) {
  // Read from the state DB again only after it changed (host-db-reads.ts).
  const dbParts = new StateDbReads(ctx.db, (vaultUnlocked: boolean) => ({
    integrity: integrityReport(ctx.db, vaultUnlocked),
    extensions: extensionHellos(ctx.db),
  }));
  return {
    'host.hello': (params, caller): HelloResult => {
      const { client } = parseHelloParams(params);
      if (client) ctx.log.debug(`hello from ${client}`);
      // Only a bridge connection has an origin: the one the browser gave the bridge (argv).
      const now = Date.now();
      if (caller.origin !== undefined && records.due(caller, client, now)) {
        try {
          recordExtensionHello(ctx.db, caller.origin, client, new Date(now));
          records.noted(caller, client, now);
        } catch (e) {
          ctx.log.warn(`could not record the hello of ${caller.origin}: ${errorMessage(e)}`);
        }
      }
      const vault = ctx.vault.state();
      const { integrity, extensions } = dbParts.get(vault === 'unlocked');
      return {
        version: hostVersion(),
        protocol: PROTOCOL_VERSION,
        vault,
        trading: {
          paused: ctx.trading.paused,
          ...(ctx.trading.paused && ctx.trading.reason ? { reason: ctx.trading.reason } : {}),
        },
        service: { pid: process.pid, startedAt: ctx.startedAt },
        ...(ctx.vault.insecureTestKdf ? { insecureTestKdf: true as const } : {}),
        ...(integrity ? { integrity } : {}),
        extensions,
      };
    },
  } satisfies HandlerGroup<'host.hello'>;
}
