/**
 * Which permission a piece of the page's text names, and what the panel says when that toggle is
 * on. Pure: the catalogue comes from the exchange profile (src/exchanges).
 */
import type { Advice, ExchangeGuide, PermissionEntry } from '../exchanges/index.js';

/** Lower case, single spaces, without a trailing ":" / "*" / "(…)" note. */
export function normalizeLabel(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*\([^)]*\)\s*$/, '')
    .replace(/[\s:*]+$/, '')
    .toLowerCase();
}

/** Advice that makes a toggle worth marking when it is on. */
export function isDangerous(advice: Advice): boolean {
  return advice === 'never' || advice === 'disable';
}

/** The catalogue entries whose toggles must be off, with their labels normalised once. */
export interface LabelIndex {
  byLabel: Map<string, PermissionEntry>;
  /** Longest label length: longer texts cannot be a label, so the scan skips them cheaply. */
  maxLength: number;
}

export function dangerousLabels(profile: ExchangeGuide): LabelIndex {
  const byLabel = new Map<string, PermissionEntry>();
  for (const entry of profile.permissionCatalogue) {
    if (!isDangerous(entry.advice)) continue;
    for (const label of entry.pageLabels) {
      const key = normalizeLabel(label);
      if (!byLabel.has(key)) byLabel.set(key, entry);
    }
  }
  const maxLength = Math.max(0, ...[...byLabel.keys()].map((k) => k.length));
  return { byLabel, maxLength };
}

/** The entry a visible text names exactly (ignoring case, spacing and a trailing note). */
export function matchLabel(text: string, index: LabelIndex): PermissionEntry | null {
  if (text.length > index.maxLength + 40) return null;
  return index.byLabel.get(normalizeLabel(text)) ?? null;
}

const SUBJECT: Partial<Record<string, { what: string; plural: boolean }>> = {
  withdraw: { what: 'Withdrawals', plural: true },
  transfer: { what: 'Transfers', plural: true },
  convert: { what: 'Convert', plural: false },
  earn: { what: 'Earn', plural: false },
  nft: { what: 'NFT access', plural: false },
};

export interface Hint {
  severity: 'danger' | 'caution';
  /** For the panel: "Withdrawals are ON: untick "Enable Withdrawals"." */
  message: string;
  /** The few words next to the toggle on the page. */
  markLabel: string;
  why: string;
}

export function hintFor(entry: PermissionEntry): Hint {
  const subject = (entry.permission && SUBJECT[entry.permission]) || {
    what: entry.uiName,
    plural: false,
  };
  const never = entry.advice === 'never';
  return {
    severity: never ? 'danger' : 'caution',
    message: `${subject.what} ${subject.plural ? 'are' : 'is'} ON: untick ${entry.uiName}.`,
    markLabel: never ? 'Sentinel: never enable this' : 'Sentinel: switch this off',
    why: entry.why,
  };
}
