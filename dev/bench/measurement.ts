/** What one benchmark returns, and how it says it could not run. */
import type { Scope } from './common.js';
import type { Row } from './report.js';

export interface Outcome {
  rows: Row[];
  notes?: string[];
  details?: Record<string, unknown>;
}

export interface Measurement {
  id: string;
  title: string;
  /** Upper bound for the whole measurement; past it, the scope is closed and the row fails. */
  timeoutMs: number;
  run(scope: Scope, progress: (line: string) => void): Promise<Outcome>;
}

/** Thrown when a measurement cannot run on this machine (Chromium missing, say). */
export class Skip extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Skip';
  }
}
