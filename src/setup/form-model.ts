/**
 * The credential form's logic, pure: early validation with the host's own rules
 * (src/protocol/params.ts), which field an error belongs to, and what each outcome tells the user.
 */
import type { Audit, Environment, ExchangeId, Needs } from '../exchanges/index.js';
import { RpcError } from '../protocol/jsonrpc.js';
import type { AddConnectionParams, Connection, Credentials } from '../protocol/methods.js';
import { ENVIRONMENTS, parseAddConnection, parseCredentials } from '../protocol/params.js';

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

function credentialsOf(exchange: ExchangeId, v: FormValues): Record<string, string> {
  return {
    apiKey: v.apiKey.trim(),
    secret: v.secret.trim(),
    ...(exchange === 'okx' ? { passphrase: v.passphrase } : {}),
  };
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

export function checkAdd(exchange: ExchangeId, v: FormValues): Checked<AddConnectionParams> {
  const needs: Needs = {};
  for (const k of ['futures', 'margin', 'options'] as const) if (v.needs[k]) needs[k] = true;
  return check(() =>
    parseAddConnection({
      exchange,
      label: v.label,
      environment: v.environment,
      credentials: credentialsOf(exchange, v),
      needs,
    }),
  );
}

export function checkRotate(exchange: ExchangeId, v: FormValues): Checked<Credentials> {
  return check(() => parseCredentials(exchange, credentialsOf(exchange, v)));
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

/** The setup page's query: which exchange, and the connection to rotate (if any). */
export function parseSetupQuery(search: string): {
  exchange: ExchangeId | null;
  rotate: string | null;
} {
  const q = new URLSearchParams(search);
  const ex = q.get('exchange');
  const rotate = q.get('rotate');
  return {
    exchange: ex === 'binance' || ex === 'bybit' || ex === 'okx' ? ex : null,
    rotate: rotate && /^c_[A-Za-z0-9]{1,40}$/.test(rotate) ? rotate : null,
  };
}
