/** The exchange simulator's public surface. */
export {
  startSimulator,
  DEFAULT_CLIENT_IP,
  type Simulator,
  type SimulatorOptions,
  type SimOrderView,
} from './server.js';
export { DEFAULT_BALANCES, FEE_RATE } from './orders.js';
export { DEFAULT_PRICES, marketsOf } from './markets.js';
export type { FaultSpec, OrderRecord, RequestRecord, SimKeyConfig } from './types.js';
export { perpsOf } from './perp-markets.js';
export type { PerpOrderView, PositionRecord } from './perp-views.js';
