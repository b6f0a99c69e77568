import { backoffDelayMs, classifyDisconnect } from '../../src/background/host-problem.js';
import { INSTALL_COMMAND, adviceFor, installCommand } from '../../src/ui/advice.js';
import { EXTENSION_ID } from '../../src/protocol/constants.js';

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

  it('the published extension needs no --extension-id', () => {
    expect(installCommand(EXTENSION_ID)).toBe(INSTALL_COMMAND);
  });

  it('connected shows no command', () => {
    expect(adviceFor({ connection: 'connected' }).command).toBeUndefined();
  });
});
