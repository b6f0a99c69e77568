/**
 * A rough strength hint for the vault passphrase: estimated entropy from length and character
 * variety, with a penalty for repeats. A hint for the user, not a gate: the host requires 8+.
 */
export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  label: 'too short' | 'weak' | 'fair' | 'good' | 'strong';
  hint: string;
}

export const MIN_LENGTH = 8;

export function passphraseStrength(passphrase: string): Strength {
  const chars = [...passphrase];
  if (chars.length < MIN_LENGTH) {
    return {
      score: 0,
      label: 'too short',
      hint: `Use at least ${MIN_LENGTH} characters; a few unrelated words work well.`,
    };
  }
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[^A-Za-z0-9]/.test(passphrase)) pool += 33;
  const distinct = new Set(chars).size;
  // Repeated characters add little: count each distinct character fully, repeats at a quarter.
  const effectiveLength = distinct + (chars.length - distinct) / 4;
  const bits = effectiveLength * Math.log2(Math.max(pool, 2));
  if (bits < 40)
    return { score: 1, label: 'weak', hint: 'Longer is better: add another word or two.' };
  if (bits < 60)
    return {
      score: 2,
      label: 'fair',
      hint: 'Good start; one more word makes it much harder to guess.',
    };
  if (bits < 80) return { score: 3, label: 'good', hint: 'Store it in your password manager.' };
  return { score: 4, label: 'strong', hint: 'Store it in your password manager.' };
}
