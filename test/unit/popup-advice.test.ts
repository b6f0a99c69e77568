import { backoffDelayMs, classifyDisconnect } from '../../src/background/host-problem.js';
import { INSTALL_COMMAND, adviceFor, installCommand } from '../../src/ui/advice.js';
import { EXTENSION_ID, FIREFOX_ADDON_ID } from '../../src/protocol/constants.js';

describe('classifyDisconnect', () => {
  it.each([
    ['Specified native messaging host not found.', 'not-installed'],
    ['Access to the specified native messaging host is forbidden.', 'forbidden'],
    ['Native host has exited.', 'exited'],
    ['Error when communicating with the native messaging host.', 'failed'],
    [undefined, 'failed'],
  ])('%s → %s', (text, kind) => {
    expect(classifyDisconnect(text).kind).toBe(kind);
  });

  it.each([
    ['No such native application com.sentinel.companion', 'not-installed'],
    ['An unexpected error occurred', 'failed'],
    // Firefox closes the port with no error when the host exits.
    [undefined, 'exited'],
  ])('Firefox: %s → %s', (text, kind) => {
    expect(classifyDisconnect(text, 'firefox').kind).toBe(kind);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from about 1 s and stays under about 30 s', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelayMs(a, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(backoffDelayMs(0, () => 0)).toBe(800);
    expect(backoffDelayMs(0, () => 1)).toBe(1200);
  });
});

describe('adviceFor', () => {
  it('a missing host shows the exact install command', () => {
    const a = adviceFor({
      connection: 'disconnected',
      problem: classifyDisconnect('Specified native messaging host not found.'),
    });
    expect(a.tone).toBe('problem');
    expect(a.command).toBe(INSTALL_COMMAND);
  });

  it('a forbidden host names this extension id and how to register it', () => {
    const other = 'abcdefghijklmnopabcdefghijklmnop';
    const a = adviceFor(
      {
        connection: 'disconnected',
        problem: classifyDisconnect('Access to the specified native messaging host is forbidden.'),
      },
      other,
    );
    expect(a.detail).toContain(other);
    expect(a.command).toBe(`${INSTALL_COMMAND} -- --extension-id ${other}`);
    expect(a.browserSaid).toContain('forbidden');
  });

  it('the published extension and the Firefox add-on need no --extension-id', () => {
    expect(installCommand(EXTENSION_ID)).toBe(INSTALL_COMMAND);
    expect(installCommand(FIREFOX_ADDON_ID)).toBe(INSTALL_COMMAND);
    expect(installCommand('fork@example.org')).toBe(
      `${INSTALL_COMMAND} -- --extension-id fork@example.org`,
    );
  });

  it('Firefox: no host for this add-on names both causes, the add-on id and the command', () => {
    const a = adviceFor(
      {
        connection: 'disconnected',
        problem: classifyDisconnect('No such native application com.sentinel.companion', 'firefox'),
      },
      FIREFOX_ADDON_ID,
    );
    expect(a.title).toBe('Firefox cannot start the Sentinel host');
    expect(a.detail).toContain(`id ${FIREFOX_ADDON_ID}`);
    expect(a.detail).toContain('not installed, or its manifest allows another add-on');
    expect(a.command).toBe(INSTALL_COMMAND);
    expect(a.browserSaid).toBe('No such native application com.sentinel.companion');
  });

  it('connected shows no command', () => {
    expect(adviceFor({ connection: 'connected' }).command).toBeUndefined();
  });
});
