import { passphraseStrength } from '../../src/ui/passphrase-strength.js';

describe('passphraseStrength', () => {
  it.each([
    ['', 'too short'],
    ['abc1234', 'too short'],
    ['aaaaaaaaaaaa', 'weak'],
    ['password', 'weak'],
    ['correcthorse', 'weak'],
    ['correcthorsebattery', 'fair'],
    ['Correct-Horse7', 'good'],
    ['correct horse battery staple', 'strong'],
  ])('%j is %s', (p, label) => {
    expect(passphraseStrength(p).label).toBe(label);
  });

  it('always says what to do', () => {
    for (const p of ['', 'x'.repeat(9), 'Tr0ub4dor&3-extra-words'])
      expect(passphraseStrength(p).hint.length).toBeGreaterThan(10);
  });
});
