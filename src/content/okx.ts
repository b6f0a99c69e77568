/** The content script on okx.com (manifest.json): the guide panel with OKX's guide only. */
import { okxKeyGuide } from '../exchanges/okx/key-guide.js';
import { runGuide } from './run-guide.js';

runGuide(okxKeyGuide);
