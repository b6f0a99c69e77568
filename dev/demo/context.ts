/** What every demo step works with. */
import type { BrowserSession } from './browser.js';
import type { Narrator } from './narrate.js';
import type { Scope } from './scope.js';
import type { Stack } from './stack.js';

export interface Demo {
  scope: Scope;
  say: Narrator;
  stack: Stack;
  session: BrowserSession;
  /** Where screenshots go (demo-output/ in the checkout). */
  out: string;
  /** A short pause between steps when someone is watching (headed), none otherwise. */
  pace(): Promise<void>;
}
