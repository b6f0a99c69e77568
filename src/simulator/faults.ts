/**
 * Fault injection per exchange. Counters are consumed one per affected request:
 *  - status5xx, rateLimit: any request of the exchange (checked before authentication);
 *  - timeoutPlaced, timeoutNotPlaced, unknownOutcome: order placements that passed validation.
 * latencyMs delays every answer while it is set.
 */
import type { ExchangeId, FaultSpec } from './types.js';

export type CountedFault =
  'status5xx' | 'rateLimit' | 'timeoutPlaced' | 'timeoutNotPlaced' | 'unknownOutcome';

const COUNTED: CountedFault[] = [
  'status5xx',
  'rateLimit',
  'timeoutPlaced',
  'timeoutNotPlaced',
  'unknownOutcome',
];

export function validateFault(input: unknown): FaultSpec {
  const spec = (input ?? {}) as Record<string, unknown>;
  if (typeof spec !== 'object') throw new Error('fault: an object is required');
  const out: FaultSpec = {};
  for (const [name, value] of Object.entries(spec)) {
    if (name === 'exchange') continue;
    if (name === 'unknownOutcomeCode') {
      if (typeof value !== 'string' && typeof value !== 'number')
        throw new Error('fault: unknownOutcomeCode must be a string or number');
      out.unknownOutcomeCode = value;
    } else if (name === 'latencyMs' || COUNTED.includes(name as CountedFault)) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        throw new Error(`fault: ${name} must be a non-negative integer`);
      out[name as CountedFault | 'latencyMs'] = value;
    } else throw new Error(`fault: unknown fault ${name}`);
  }
  return out;
}

export class Faults {
  private specs = new Map<ExchangeId, FaultSpec>();

  /** Replaces the exchange's faults with `spec`. */
  set(exchange: ExchangeId, spec: FaultSpec): void {
    this.specs.set(exchange, validateFault(spec));
  }

  get(exchange: ExchangeId): FaultSpec {
    return { ...(this.specs.get(exchange) ?? {}) };
  }

  clear(exchange?: ExchangeId): void {
    if (exchange) this.specs.delete(exchange);
    else this.specs.clear();
  }

  latency(exchange: ExchangeId): number {
    return this.specs.get(exchange)?.latencyMs ?? 0;
  }

  /** Consumes one count of the fault; true when it applies to this request. */
  take(exchange: ExchangeId, fault: CountedFault): boolean {
    const spec = this.specs.get(exchange);
    const left = spec?.[fault] ?? 0;
    if (!spec || left <= 0) return false;
    spec[fault] = left - 1;
    return true;
  }

  unknownCode(exchange: ExchangeId): string | undefined {
    const code = this.specs.get(exchange)?.unknownOutcomeCode;
    return code === undefined ? undefined : String(code);
  }
}
