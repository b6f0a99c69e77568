/** The content script on bybit.com (manifest.json): the guide panel with Bybit's guide only. */
import { bybitKeyGuide } from '../exchanges/bybit/key-guide.js';
import { runGuide } from './run-guide.js';

runGuide(bybitKeyGuide);
