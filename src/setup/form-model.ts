/**
 * The credential form's logic, pure: early validation with the host's own rules
 * (src/protocol/params.ts), which field an error belongs to, and what each outcome tells the user.
 */
import {
  profileFor,
  type Audit,
  type Environment,
  type ExchangeId,
  type Needs,
} from '../exchanges/index.js';
import { RpcError } from '../protocol/jsonrpc.js';
import type { AddConnectionParams, Connection, CredentialsParam } from '../protocol/methods.js';
import { ENVIRONMENTS, parseAddConnection, parseCredentialsParam } from '../protocol/params.js';

export interface FormValues {
  apiKey: string;
  secret: string;
  passphrase: string;
  label: string;
  environment: Environment;
  needs: Required<Needs>;
}

export type Field = 'apiKey' | 'secret' | 'passphrase' | 'label' | 'environment' | 'form';

export type Checked<T> = { ok: true; value: T } | { ok: false; field: Field; message: string };

/** A form's controls by name: the DOM's form.elements in the page, a stand-in in tests. */
export interface FormReader {
  /** The value of the text field or select with this name; null when the form has none. */
  text(name: string): string | null;
  /** Whether the checkbox with this name is ticked; null when the form has none. */
  checked(name: string): boolean | null;
}

const ENVIRONMENT_NAMES: readonly Environment[] = ['live', 'testnet', 'demo'];

/**
 * The values as the form's controls hold them at submit time. The component's state can lag the
 * controls by a render (a paste followed at once by Enter), and submitting that state would send
 * an empty field. Controls the form does not show (rotation has no label, environment or needs;
 * a passphrase only where the profile asks for one) keep the state's value.
 */
export function valuesAtSubmit(read: FormReader, state: FormValues): FormValues {
  const text = (name: keyof FormValues & string, fallback: string): string =>
    read.text(name) ?? fallback;
  const env = read.text('environment');
  const needs = (k: keyof FormValues['needs']): boolean =>
    read.checked(`needs-${k}`) ?? state.needs[k];
  return {
    apiKey: text('apiKey', state.apiKey),
    secret: text('secret', state.secret),
    passphrase: text('passphrase', state.passphrase),
    label: text('label', state.label),
    environment: ENVIRONMENT_NAMES.find((e) => e === env) ?? state.environment,
    needs: { futures: needs('futures'), margin: needs('margin'), options: needs('options') },
  };
}

export function initialValues(exchange: ExchangeId, label: string): FormValues {
  return {
    apiKey: '',
    secret: '',
    passphrase: '',
    label,
    environment: ENVIRONMENTS[exchange][0] ?? 'live',
    needs: { futures: false, margin: false, options: false },
  };
}

/** The field a params.ts message is about (they name the field first, never the value). */
export function fieldOf(message: string): Field {
  if (/^API key\b/.test(message)) return 'apiKey';
  if (/^secret\b/.test(message)) return 'secret';
  if (/passphrase/i.test(message)) return 'passphrase';
  if (/^label\b/.test(message)) return 'label';
  if (/^environment\b/.test(message)) return 'environment';
  return 'form';
}

/**
 * The credentials this exchange's profile asks for, trimmed where the profile says so; with a
 * generated key's id (keys.generate), the API key and that id only.
 */
function credentialsOf(
  exchange: ExchangeId,
  v: FormValues,
  keyId?: string,
): Record<string, string> {
  if (keyId !== undefined) return { apiKey: v.apiKey.trim(), keyId };
  const out: Record<string, string> = {};
  for (const f of profileFor(exchange).credentialFields)
    out[f.id] = f.trim ? v[f.id].trim() : v[f.id];
  return out;
}

function check<T>(parse: () => T): Checked<T> {
  try {
    return { ok: true, value: parse() };
  } catch (err) {
    if (err instanceof RpcError)
      return { ok: false, field: fieldOf(err.message), message: err.message };
    throw err;
  }
}

export function checkAdd(
  exchange: ExchangeId,
  v: FormValues,
  keyId?: string,
): Checked<AddConnectionParams> {
  const needs: Needs = {};
  for (const k of ['futures', 'margin', 'options'] as const) if (v.needs[k]) needs[k] = true;
  return check(() =>
    parseAddConnection({
      exchange,
      label: v.label,
      environment: v.environment,
      credentials: credentialsOf(exchange, v, keyId),
      needs,
    }),
  );
}

export function checkRotate(
  exchange: ExchangeId,
  v: FormValues,
  keyId?: string,
): Checked<CredentialsParam> {
  return check(() => parseCredentialsParam(exchange, credentialsOf(exchange, v, keyId)));
}

export type Outcome =
  | { kind: 'stored'; audit: Audit; connection: Connection }
  | { kind: 'rotated'; audit: Audit; connection: Connection; reminder: string; apiPageUrl: string }
  | { kind: 'unsafe'; audit: Audit | null; fixes: string[] }
  | { kind: 'rejected'; message: string }
  | { kind: 'vault'; state: 'locked' | 'absent'; message: string }
  | { kind: 'invalid'; field: Field; message: string }
  | { kind: 'error'; message: string };

const capital = (s: string): string => (s ? `${s[0]?.toUpperCase()}${s.slice(1)}` : s);

/** A host error → what the form shows. KEY_UNSAFE lists exactly what to change, check by check. */
export function outcomeOfError(
  reason: string,
  message: string,
  data: Record<string, unknown>,
): Outcome {
  switch (reason) {
    case 'KEY_UNSAFE': {
      const audit = isAudit(data.audit) ? data.audit : null;
      const fixes = audit?.checks.filter((c) => c.level === 'block').map((c) => c.message) ?? [];
      return { kind: 'unsafe', audit, fixes: fixes.length > 0 ? fixes : [capital(message)] };
    }
    case 'KEY_REJECTED':
      return { kind: 'rejected', message: capital(message) };
    case 'VAULT_LOCKED':
      return { kind: 'vault', state: 'locked', message: capital(message) };
    case 'VAULT_ABSENT':
      return { kind: 'vault', state: 'absent', message: capital(message) };
    case 'INVALID_PARAMS':
      return { kind: 'invalid', field: fieldOf(message), message: capital(message) };
    default:
      return { kind: 'error', message: capital(message) };
  }
}

function isAudit(v: unknown): v is Audit {
  return typeof v === 'object' && v !== null && Array.isArray((v as Audit).checks);
}
