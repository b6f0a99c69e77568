/** What became of a signal on one route (one connection): the engine settles the signal from these. */
import type { Rejection } from './risk.js';

export type RouteOutcome =
  { status: 'executed' | 'dry-run' } | ({ status: 'rejected' } & Rejection);
