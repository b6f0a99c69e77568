/** What a page tells the user about the host link: plain words and the exact fix. Pure. */
import { EXTENSION_ID } from '../protocol/constants.js';
import type { HostStatus } from '../protocol/extension-messages.js';
import { CONNECTING, linkAdvice, type Advice } from './link-advice.js';
import { problemAdvice } from './problem-advice.js';

export { CONNECTED, CONNECTING, linkAdvice, type Advice } from './link-advice.js';
export { DOCTOR_COMMAND, INSTALL_COMMAND, installCommand } from './problem-advice.js';

export function adviceFor(status: HostStatus, extensionId: string = EXTENSION_ID): Advice {
  return (
    linkAdvice(status) ?? (status.problem ? problemAdvice(status.problem, extensionId) : CONNECTING)
  );
}
