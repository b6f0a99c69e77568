/**
 * The credential form's early validation (the host's own rules), what it submits, and how
 * outcomes are told.
 */
import type { Audit } from '../../src/exchanges/index.js';
import {
  checkAdd,
  checkRotate,
  fieldOf,
  initialValues,
  outcomeOfError,
  valuesAtSubmit,
  type FormReader,
  type FormValues,
} from '../../src/setup/form-model.js';

const LABEL = 'Sentinel Companion – trade only – 2026-06-01';
const good = (patch: Partial<FormValues> = {}): FormValues => ({
  ...initialValues('binance', LABEL),
  apiKey: 'vmPUZE6mv9SD5VNHk4Hl',
  secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjIn',
  ...patch,
});

describe('early validation', () => {
  it('accepts a complete form and sends only the needs that are ticked', () => {
    const r = checkAdd(
      'binance',
      good({ needs: { futures: true, margin: false, options: false } }),
    );
    expect(r).toEqual({
      ok: true,
      value: {
        exchange: 'binance',
        label: LABEL,
        environment: 'live',
        credentials: {
          apiKey: 'vmPUZE6mv9SD5VNHk4Hl',
          secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjIn',
        },
        needs: { futures: true },
      },
    });
  });

  it('trims pasted whitespace around key and secret', () => {
    const r = checkAdd(
      'binance',
      good({ apiKey: '  vmPUZE6mv9SD5VNHk4Hl\n', secret: ' NhqPtmdSJYdKjVHj ' }),
    );
    expect(r.ok && r.value.credentials).toEqual({
      apiKey: 'vmPUZE6mv9SD5VNHk4Hl',
      secret: 'NhqPtmdSJYdKjVHj',
    });
  });

  it.each<[string, Partial<FormValues>, string]>([
    ['empty API key', { apiKey: '' }, 'apiKey'],
    ['a space inside the secret', { secret: 'abc def ghi jkl' }, 'secret'],
    ['empty label', { label: '   ' }, 'label'],
    ['an environment Binance does not have', { environment: 'demo' }, 'environment'],
  ])('%s → the %s field', (_name, patch, field) => {
    const r = checkAdd('binance', good(patch));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      // The message names the field and the rule, never the value.
      for (const value of Object.values(patch))
        if (typeof value === 'string' && value.trim()) expect(r.message).not.toContain(value);
    }
  });

  it('OKX needs its passphrase (8–32 characters)', () => {
    const okx = { ...good(), environment: 'live' as const };
    const missing = checkAdd('okx', { ...okx, passphrase: '' });
    expect(missing.ok === false && missing.field).toBe('passphrase');
    expect(checkAdd('okx', { ...okx, passphrase: 'Str0ng-Pass' }).ok).toBe(true);
    expect(checkRotate('okx', { ...okx, passphrase: 'Str0ng-Pass' })).toEqual({
      ok: true,
      value: { apiKey: okx.apiKey, secret: okx.secret, passphrase: 'Str0ng-Pass' },
    });
  });

  it('environments offered per exchange start with the first one', () => {
    expect(initialValues('bybit', LABEL).environment).toBe('live');
    expect(fieldOf('OKX keys need the passphrase you chose when creating the key')).toBe(
      'passphrase',
    );
    expect(fieldOf('something else')).toBe('form');
  });
});

describe('outcomes', () => {
  const audit: Audit = {
    at: '2026-06-01T12:00:00Z',
    verdict: 'block',
    permissions: {} as Audit['permissions'],
    ipRestricted: true,
    checks: [
      {
        id: 'withdraw',
        level: 'block',
        message:
          'Withdrawals are enabled on this key. … Untick "Enable Withdrawals" on Binance\'s API Management page, or delete this key and create a new one.',
      },
      { id: 'read', level: 'ok', message: 'The key can read.' },
      { id: 'ip-restriction', level: 'warn', message: 'No IP restriction.' },
    ],
  };

  it('KEY_UNSAFE: exactly the blocking checks, as what to change', () => {
    expect(
      outcomeOfError('KEY_UNSAFE', 'this key is not safe…', { reason: 'KEY_UNSAFE', audit }),
    ).toEqual({
      kind: 'unsafe',
      audit,
      fixes: [audit.checks[0]!.message],
    });
  });

  it('KEY_UNSAFE without an audit still says why', () => {
    expect(outcomeOfError('KEY_UNSAFE', 'this key is not safe', {})).toEqual({
      kind: 'unsafe',
      audit: null,
      fixes: ['This key is not safe'],
    });
  });

  it('KEY_REJECTED: the plain message; vault states: unlock/create in place', () => {
    expect(outcomeOfError('KEY_REJECTED', 'the secret is wrong: copy it again', {})).toEqual({
      kind: 'rejected',
      message: 'The secret is wrong: copy it again',
    });
    expect(outcomeOfError('VAULT_LOCKED', 'the vault is locked', {})).toMatchObject({
      kind: 'vault',
      state: 'locked',
    });
    expect(outcomeOfError('VAULT_ABSENT', 'no vault yet', {})).toMatchObject({
      kind: 'vault',
      state: 'absent',
    });
    expect(outcomeOfError('INVALID_PARAMS', 'label must be 1–64 characters', {})).toMatchObject({
      kind: 'invalid',
      field: 'label',
    });
    expect(outcomeOfError('KEY_DUPLICATE', 'this API key is already connected', {})).toEqual({
      kind: 'error',
      message: 'This API key is already connected',
    });
  });
});

/** A stand-in for form.elements: the controls a rendered form has, with what they hold. */
function controls(fields: Record<string, string | boolean>): FormReader {
  return {
    text: (name) => (typeof fields[name] === 'string' ? fields[name] : null),
    checked: (name) => (typeof fields[name] === 'boolean' ? fields[name] : null),
  };
}

describe('what submit sends: the fields as they are at submit time', () => {
  const stale = initialValues('okx', LABEL); // the state of the last render: nothing typed yet

  it('a paste followed at once by Enter: the pasted values, not the empty state', () => {
    const typed = valuesAtSubmit(
      controls({
        apiKey: 'vmPUZE6mv9SD5VNHk4Hl',
        secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjIn',
        passphrase: 'Str0ng-Pass',
        label: 'my key',
        environment: 'demo',
        'needs-futures': true,
        'needs-margin': false,
        'needs-options': false,
      }),
      stale,
    );
    expect(typed).toEqual({
      apiKey: 'vmPUZE6mv9SD5VNHk4Hl',
      secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjIn',
      passphrase: 'Str0ng-Pass',
      label: 'my key',
      environment: 'demo',
      needs: { futures: true, margin: false, options: false },
    });
    expect(checkAdd('okx', typed).ok).toBe(true);
    expect(checkAdd('okx', stale)).toMatchObject({ ok: false, field: 'apiKey' });
  });

  it('rotation shows only the credentials: the rest keeps the state (and rotation ignores it)', () => {
    const state = { ...stale, label: 'kept', environment: 'live' as const };
    const typed = valuesAtSubmit(
      controls({
        apiKey: ' vmPUZE6mv9SD5VNHk4Hl ',
        secret: 'NhqPtmdSJYdKjVHj',
        passphrase: 'Str0ng-Pass',
      }),
      state,
    );
    expect(typed).toMatchObject({ label: 'kept', environment: 'live', needs: state.needs });
    expect(checkRotate('okx', typed)).toEqual({
      ok: true,
      value: {
        apiKey: 'vmPUZE6mv9SD5VNHk4Hl',
        secret: 'NhqPtmdSJYdKjVHj',
        passphrase: 'Str0ng-Pass',
      },
    });
  });

  it('an environment the select cannot hold falls back to the state, which validation checks', () => {
    const typed = valuesAtSubmit(controls({ environment: 'mainnet' }), stale);
    expect(typed.environment).toBe(stale.environment);
  });
});
