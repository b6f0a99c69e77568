/** How OKX v5 renders an order (GET /api/v5/trade/order, orders-pending, orders-history). */
import { divToStep, fmt } from '../../src/lib/decimal.js';
import type { MarketRules } from './markets.js';
import type { SimOrder } from './types.js';

function ordType(o: SimOrder): string {
  if (o.type === 'market') return 'market';
  return o.timeInForce === 'POST_ONLY'
    ? 'post_only'
    : o.timeInForce === 'GTC'
      ? 'limit'
      : o.timeInForce.toLowerCase();
}

export function okxOrderJson(o: SimOrder, m: MarketRules): Record<string, unknown> {
  const avg = o.filledQty > 0n ? fmt(divToStep(o.filledQuote, o.filledQty, 0n)) : '';
  const state = o.status === 'new' ? 'live' : o.status === 'filled' ? 'filled' : 'canceled';
  return {
    accFillSz: fmt(o.filledQty),
    algoClOrdId: '',
    algoId: '',
    attachAlgoClOrdId: '',
    attachAlgoOrds: [],
    avgPx: avg,
    cTime: String(o.createdAt),
    cancelSource: '',
    cancelSourceReason: '',
    category: 'normal',
    ccy: '',
    clOrdId: o.clientOrderId,
    fee: o.fee > 0n ? `-${fmt(o.fee)}` : '0',
    feeCcy: o.feeAsset,
    fillPx: avg,
    fillSz: fmt(o.filledQty),
    fillTime: o.filledQty > 0n ? String(o.updatedAt) : '',
    instId: m.id,
    instType: 'SPOT',
    isTpLimit: 'false',
    lever: '',
    linkedAlgoOrd: { algoId: '' },
    ordId: o.id,
    ordType: ordType(o),
    pnl: '0',
    posSide: 'net',
    px: o.price === undefined ? '' : fmt(o.price),
    pxType: '',
    pxUsd: '',
    pxVol: '',
    quickMgnType: '',
    rebate: '0',
    rebateCcy: m.quote,
    reduceOnly: 'false',
    side: o.side,
    slOrdPx: '',
    slTriggerPx: '',
    slTriggerPxType: '',
    source: '',
    state,
    stpId: '',
    stpMode: 'cancel_maker',
    sz: fmt(o.quoteQty ?? o.qty),
    tag: '',
    tdMode: 'cash',
    tgtCcy: o.type === 'market' ? (o.quoteQty !== undefined ? 'quote_ccy' : 'base_ccy') : '',
    tpOrdPx: '',
    tpTriggerPx: '',
    tpTriggerPxType: '',
    tradeId: o.filledQty > 0n ? o.id : '',
    uTime: String(o.updatedAt),
  };
}
