/** The content script on binance.com (manifest.json): the guide panel with Binance's guide only. */
import { binanceKeyGuide } from '../exchanges/binance/key-guide.js';
import { runGuide } from './run-guide.js';

runGuide(binanceKeyGuide);
