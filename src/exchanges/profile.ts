/**
 * What every exchange module provides: the API-key page, the guide, the permission catalogue, the
 * key-info parser, client-order-id rules and error explanations. Pure data and pure functions: the
 * extension (guide panel, setup form) and the host (audit, executor) both import these modules.
 */
import type { ErrorEntry, ErrorExplanation } from './errors.js';
import type { Environment, ExchangeId, KeyInfo, KeyInfoResult, Permission } from './types.js';

export { apiPageMatcher } from './api-page.js';
export { compactLabel, spacedLabel } from './key-label.js';

/**
 * One credential the exchange issues for a key. The profile's list is the only place that says
 * which an exchange needs: the host's validation (src/protocol/params.ts), the setup form and the
 * CLI all read it.
 */
export interface CredentialField {
  id: 'apiKey' | 'secret' | 'passphrase';
  /** The exchange's own name for it, so the user finds it on the page. */
  label: string;
  /** Shown masked, never stored by the extension. */
  secret: boolean;
  /** How validation messages name it; each message starts with it ("API key must be 8–256…"). */
  ruleName: string;
  /** Length rule, in printable ASCII characters without spaces (src/protocol/params.ts). */
  minLength: number;
  maxLength: number;
  /** Said when it is missing altogether; without it, the length rule is said. */
  missing?: string;
  /** The forms trim pasted keys and secrets; a passphrase the user chose is taken as typed. */
  trim: boolean;
}

/** The API key: what every exchange issues (printable ASCII, 8–256). */
export function apiKeyField(label: string): CredentialField {
  return {
    id: 'apiKey',
    label,
    secret: false,
    ruleName: 'API key',
    minLength: 8,
    maxLength: 256,
    trim: true,
  };
}

/** The key's secret (HMAC secrets; room for longer ones), 8–512. */
export function secretField(label: string): CredentialField {
  return {
    id: 'secret',
    label,
    secret: true,
    ruleName: 'secret',
    minLength: 8,
    maxLength: 512,
    trim: true,
  };
}

export interface GuideStep {
  id: string;
  title: string;
  items: string[];
  warning?: string;
  /** The panel shows a copy box next to this step: the suggested key label or this machine's IP. */
  copy?: 'label' | 'ip';
}

export type Advice = 'enable' | 'never' | 'only-if-needed' | 'disable';

/** One permission as the exchange shows it, mapped to the canonical vocabulary. */
export interface PermissionEntry {
  /** null: a permission with no canonical counterpart (e.g. Bybit Pay); still audited by advice. */
  permission: Permission | null;
  /** Names in the key-info answer (`KeyInfo.grantedRaw` uses exactly these). */
  apiNames: string[];
  /** Visible texts of the toggle on the exchange's page (DOM hints for the content script). */
  pageLabels: string[];
  /** How a message names it: where the user clicks, e.g. `"Enable Withdrawals"`. */
  uiName: string;
  advice: Advice;
  /** One sentence, from the guide's golden rules. */
  why: string;
  /** Canonical permissions this one also grants without a separate toggle (OKX "Trade"). */
  covers?: Permission[];
}

export interface ClientOrderIdRule {
  /** Order parameter that carries our id. */
  field: string;
  /** Parameter that looks an order up by that id. */
  lookupParam: string;
  pattern: RegExp;
  maxLength: number;
}

export interface ExchangeProfile {
  id: ExchangeId;
  name: string;
  /** What the exchange calls its API-key page, for messages ("Binance's API Management page"). */
  apiPageName: string;
  /** Chrome match patterns of the API page itself (with and without a locale prefix). */
  apiPages: readonly string[];
  /**
   * Chrome match patterns of the whole site; equal to manifest.json's content_scripts matches for
   * this host. The sites are single-page apps (FACTS.md): users reach the API page by in-app
   * navigation, so the content script must be present on every page and decide with isApiPage.
   */
  sitePages: readonly string[];
  /** The page without a locale prefix, for "delete the old key here" links. */
  apiPageUrl: string;
  isApiPage(url: string): boolean;
  /** The signed endpoint whose answer `parseKeyInfo` reads. */
  keyInfoEndpoint: string;
  /** What the user copies from the exchange, in the order the forms ask for it. */
  credentialFields: readonly CredentialField[];
  /** The environments a connection may use, the default first. */
  environments: readonly Environment[];
  guideSteps: readonly GuideStep[];
  permissionCatalogue: readonly PermissionEntry[];
  parseKeyInfo(response: unknown): KeyInfoResult;
  clientOrderId: ClientOrderIdRule;
  errors: readonly ErrorEntry[];
  /** Codes after which an order may or may not exist: look it up by client id before resending. */
  unknownOutcomeCodes: readonly string[];
  /** Codes that mean "this client order id is already in use". */
  duplicateOrderCodes: readonly string[];
  /** Codes of a look-up by client order id that mean "no such order". */
  orderNotFoundCodes: readonly string[];
  explainError(code: string | number, exchangeMessage?: string): ErrorExplanation;
  /** A key label the exchange accepts (labelRule holds for it), readable, dated. */
  suggestedLabel(date: Date): string;
  /** What the exchange accepts as a key label (the suggested one must pass it). */
  labelRule: LabelRule;
  /** The audit's own words for this exchange's habits (src/exchanges/policy*.ts). */
  auditNotes: AuditNotes;
  /**
   * Keys whose pair the host makes (`keys.generate`): only the public key goes to the exchange.
   * Absent: the exchange accepts no such keys, and the forms and the CLI say so.
   */
  selfGeneratedKey?: SelfGeneratedKey;
}

/**
 * Which exchange a page belongs to: what the popup, the background and every page that only names
 * an exchange or links to its API page need (each exchange's site.ts; the registry is sites.ts).
 * No guide text, no parser, no error table: those load only where they are used.
 */
export type ExchangeSite = Pick<
  ExchangeProfile,
  'id' | 'name' | 'apiPageName' | 'apiPages' | 'sitePages' | 'apiPageUrl' | 'isApiPage'
>;

/**
 * What the guide panel on the exchange's own site shows (each exchange's key-guide.ts): its site,
 * steps and permission catalogue, and the key it suggests. The content script of one site loads
 * only that exchange's.
 */
export type ExchangeGuide = ExchangeSite &
  Pick<
    ExchangeProfile,
    'guideSteps' | 'permissionCatalogue' | 'suggestedLabel' | 'labelRule' | 'selfGeneratedKey'
  >;

/** How an exchange takes a key pair made on the user's machine. */
export interface SelfGeneratedKey {
  /** The pair the host makes: Ed25519, or RSA (2048 bits) signing with SHA-256. */
  algorithm: 'ed25519' | 'rsa';
  /** The exchange's name for the option, as the user sees it on the page. */
  optionName: string;
  /** Where the public key goes, in one sentence, for the panel, the form and the CLI. */
  where: string;
}

/** What the golden-rules audit adds for one exchange; each part optional. */
export interface AuditNotes {
  /**
   * Appended to the "ip-restriction" warning of a key usable from any IP: what the exchange itself
   * does to such keys (one sentence, with a leading space).
   */
  unrestrictedKey?(info: KeyInfo): string;
  /** Inserted after "Create a new key" when a key is about to expire: how to make its successor. */
  replacementKey?: string;
  /** Put before "tick <Trade>" when a read-only key cannot place orders: how to make it writable. */
  readOnlyKeyFix?: string;
  /**
   * How to give a key futures (perpetual swap) trading on the exchange's page, as a clause that
   * starts lower-case: the audit's block when a connection trades swaps and the key may not.
   */
  futuresFix?(info: KeyInfo): string;
}

/** The characters and length an exchange accepts for an API key's label. */
export interface LabelRule {
  pattern: RegExp;
  maxLength: number;
  /** In words, for hints ("letters and digits only, at most 50"). */
  description: string;
}

export function labelPasses(rule: LabelRule, label: string): boolean {
  return label.length > 0 && label.length <= rule.maxLength && rule.pattern.test(label);
}
