/**
 * Fault injection per exchange. Counters are consumed one per affected request:
 *  - status5xx, rateLimit: any request of the exchange (checked before authentication);
 *  - processDelay: order placement requests (before authentication; not Binance order/test);
 *  - timeoutPlaced, timeoutNotPlaced, unknownOutcome, lostAnswer, status5xxAfterPlace: order
 *    placements that passed validation.
 * latencyMs delays every answer while it is set; visibilityDelayMs hides the orders placed
 * while it is set from look-ups for that long; processDelayMs is how long a processDelay waits.
 */
import type { ExchangeId, FaultSpec } from './types.js';

export type CountedFault =
  | 'status5xx'
  | 'rateLimit'
  | 'timeoutPlaced'
  | 'timeoutNotPlaced'
  | 'unknownOutcome'
  | 'lostAnswer'
  | 'status5xxAfterPlace'
  | 'processDelay';

const COUNTED: CountedFault[] = [
  'status5xx',
  'rateLimit',
  'timeoutPlaced',
  'timeoutNotPlaced',
  'unknownOutcome',
  'lostAnswer',
  'status5xxAfterPlace',
  'processDelay',
];

/** Durations in ms, not counted. */
type DurationFault = 'latencyMs' | 'visibilityDelayMs' | 'processDelayMs';
const DURATIONS: DurationFault[] = ['latencyMs', 'visibilityDelayMs', 'processDelayMs'];

export function validateFault(input: unknown): FaultSpec {
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input)))
    throw new Error('fault: an object is required');
  const spec = (input ?? {}) as Record<string, unknown>;
  const out: FaultSpec = {};
  for (const [name, value] of Object.entries(spec)) {
    if (name === 'exchange') continue;
    if (name === 'unknownOutcomeCode') {
      if (typeof value !== 'string' && typeof value !== 'number')
        throw new Error('fault: unknownOutcomeCode must be a string or number');
      out.unknownOutcomeCode = value;
    } else if (
      DURATIONS.includes(name as DurationFault) ||
      COUNTED.includes(name as CountedFault)
    ) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        throw new Error(`fault: ${name} must be a non-negative integer`);
      out[name as CountedFault | DurationFault] = value;
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

  /** How long orders placed now stay hidden from look-ups (0: visible at once). */
  visibilityDelay(exchange: ExchangeId): number {
    return this.specs.get(exchange)?.visibilityDelayMs ?? 0;
  }

  /** Consumes one processDelay count; the delay in ms when it applies, else undefined. */
  takeProcessDelay(exchange: ExchangeId): number | undefined {
    if (!this.take(exchange, 'processDelay')) return undefined;
    return this.specs.get(exchange)?.processDelayMs ?? 0;
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
