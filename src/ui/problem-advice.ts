/**
 * What a page tells the user when the browser cannot reach the host: plain words and the exact
 * fix. Pure. A module of its own: the popup loads it only when there is a problem to explain.
 */
import { EXTENSION_ID, FIREFOX_ADDON_ID, HOST_NAME } from '../protocol/constants.js';
import type { HostProblem } from '../protocol/extension-messages.js';
import type { Advice } from './link-advice.js';

/** Run in the sentinel-companion folder; builds, registers the host, starts the service. */
export const INSTALL_COMMAND = 'npm run setup';
export const DOCTOR_COMMAND = 'npm run doctor';

/** The setup command for this extension: the default ids need no flag; another id is named. */
export function installCommand(extensionId: string): string {
  return extensionId === EXTENSION_ID || extensionId === FIREFOX_ADDON_ID
    ? INSTALL_COMMAND
    : `${INSTALL_COMMAND} -- --extension-id ${extensionId}`;
}

export function problemAdvice(problem: HostProblem, extensionId: string = EXTENSION_ID): Advice {
  const { kind, browserMessage } = problem;
  switch (kind) {
    case 'not-installed':
      // Firefox says the same when no manifest is installed and when the manifest lists other
      // add-ons (it will not tell an add-on which hosts exist): name both, and this add-on's id.
      if (browserMessage.startsWith('No such native application'))
        return {
          tone: 'problem',
          title: 'Firefox cannot start the Sentinel host',
          detail:
            `No native host named ${HOST_NAME} allows this add-on (id ${extensionId}): the host is ` +
            'not installed, or its manifest allows another add-on (Firefox does not say which). ' +
            'Install it or register it again for this add-on, then reopen this window:',
          command: installCommand(extensionId),
          commandHint: 'Run in the sentinel-companion folder (Node.js 20 or newer):',
          browserSaid: browserMessage,
        };
      return {
        tone: 'problem',
        title: 'The Sentinel host is not installed',
        detail:
          'This browser found no native host named com.sentinel.companion. Install it on this computer, then reopen this window.',
        command: installCommand(extensionId),
        commandHint: 'Run in the sentinel-companion folder (Node.js 20 or newer):',
      };
    case 'forbidden':
      return {
        tone: 'problem',
        title: 'The browser refused to start the Sentinel host',
        detail: `The host is installed, but its manifest does not allow this extension (id ${extensionId}). Register it again for this extension:`,
        command: installCommand(extensionId),
        commandHint: 'Run in the sentinel-companion folder:',
        browserSaid: browserMessage,
      };
    case 'exited':
      return {
        tone: 'problem',
        title: 'The Sentinel host stopped',
        detail:
          'The host started but exited. Trying again shortly; if it keeps failing, check each link:',
        command: DOCTOR_COMMAND,
        commandHint: 'Run in the sentinel-companion folder:',
        browserSaid: browserMessage,
      };
    case 'failed':
      return {
        tone: 'problem',
        title: 'Cannot talk to the Sentinel host',
        detail: browserMessage,
        command: DOCTOR_COMMAND,
        commandHint: 'Run in the sentinel-companion folder:',
      };
  }
}
