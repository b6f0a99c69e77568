/**
 * The fields signal v2 adds for perpetual swaps (docs/protocol.md, "Signal v2"): leverage, margin
 * mode, a protective stop-loss and take-profit, and closing a share of the open position. All
 * optional; a v1 signal carrying one is refused as an unknown field, so a v1 signal keeps exactly
 * its meaning. Pure.
 */
import { fail, fieldName, isPlainObject, decimalAt } from './parse-kit.js';

export type MarginMode = 'isolated' | 'cross';
export const MARGIN_MODES: readonly MarginMode[] = ['isolated', 'cross'];

/** A trigger order's price: the stop-loss or take-profit fires when the market reaches it. */
export type Trigger = { triggerPrice: string };

/**
 * What v2 adds to a signal, as received (no defaults filled in: the signature covers what was
 * sent). Type aliases, not interfaces, so a Signal stays assignable to Record<string, unknown>.
 */
export type SignalV2Fields = {
  /** Integer string 1..125; absent means 1 (no leverage). */
  leverage?: string;
  /** Absent means "isolated". */
  marginMode?: MarginMode;
  stopLoss?: Trigger;
  takeProfit?: Trigger;
};

export const V2_FIELDS = ['leverage', 'marginMode', 'stopLoss', 'takeProfit'] as const;
/** The largest leverage any of the three exchanges offers on a linear perpetual. */
export const MAX_SIGNAL_LEVERAGE = 125;
const LEVERAGE_PATTERN = /^[1-9]\d{0,2}$/;

function trigger(value: unknown, field: 'stopLoss' | 'takeProfit'): Trigger {
  if (!isPlainObject(value))
    return fail('malformed', field, `${field} must be an object like {"triggerPrice": "95000"}`);
  for (const key of Object.keys(value))
    if (key !== 'triggerPrice')
      fail('unknown-field', `${field}.${key}`, `${field} has an unknown field ${fieldName(key)}`);
  if (value['triggerPrice'] === undefined)
    fail('missing-field', `${field}.triggerPrice`, `${field}.triggerPrice is required`);
  return { triggerPrice: decimalAt(value['triggerPrice'], `${field}.triggerPrice`, 'bad-price') };
}

/** The v2 fields of a raw signal object (already known to hold no unknown top-level field). */
export function parseV2Fields(value: Record<string, unknown>): SignalV2Fields {
  const out: SignalV2Fields = {};
  const leverage = value['leverage'];
  if (leverage !== undefined) {
    if (typeof leverage !== 'string')
      fail('malformed', 'leverage', 'leverage must be an integer string like "3"');
    if (!LEVERAGE_PATTERN.test(leverage as string) || Number(leverage) > MAX_SIGNAL_LEVERAGE)
      fail(
        'invalid-field',
        'leverage',
        `leverage must be a whole number from 1 to ${MAX_SIGNAL_LEVERAGE}, as a string`,
      );
    out.leverage = leverage as string;
  }
  const marginMode = value['marginMode'];
  if (marginMode !== undefined) {
    if (typeof marginMode !== 'string' || !(MARGIN_MODES as readonly string[]).includes(marginMode))
      fail('invalid-field', 'marginMode', 'marginMode must be "isolated" or "cross"');
    out.marginMode = marginMode as MarginMode;
  }
  if (value['stopLoss'] !== undefined) out.stopLoss = trigger(value['stopLoss'], 'stopLoss');
  if (value['takeProfit'] !== undefined)
    out.takeProfit = trigger(value['takeProfit'], 'takeProfit');
  return out;
}
