/** Fail closed on withdrawals: which audits let a connection go live, and what they do to a pause. */
import { permissionMap } from '../../src/exchanges/key-info-util.js';
import type { Audit, AuditCheck, PermissionMap } from '../../src/exchanges/types.js';
import type { Connection } from '../../src/protocol/methods.js';
import {
  BLOCK_PAUSE_REASON,
  isUnprovenPause,
  liveRefusal,
  pauseAfterAudit,
  pauseAfterFailedAudit,
  unprovenPauseReason,
  withdrawProvenOff,
} from '../../src/native-host/service/withdraw-gate.js';

function audit(withdraw: boolean | null, extra: Partial<Audit> = {}): Audit {
  const permissions: PermissionMap = { ...permissionMap(false), read: true, spot: true, withdraw };
  const checks: AuditCheck[] = [
    { id: 'withdraw', level: withdraw === false ? 'ok' : withdraw ? 'block' : 'warn', message: '' },
  ];
  return {
    at: '2026-12-01T00:00:00.000Z',
    verdict: withdraw === false ? 'ok' : withdraw ? 'block' : 'warn',
    permissions,
    ipRestricted: true,
    checks,
    ...extra,
  };
}

/** What the audit says when the key-info call failed: every permission unknown. */
const couldNotVerify: Audit = {
  ...audit(null),
  permissions: permissionMap(null),
  checks: [{ id: 'could-not-verify', level: 'warn', message: '' }],
};

const conn = (extra: Partial<Connection> = {}): Connection => ({
  id: 'c_test1',
  exchange: 'binance',
  label: 'test',
  environment: 'live',
  mode: 'live',
  apiKeyHint: 'abcd…wxyz',
  createdAt: '2026-12-01T00:00:00.000Z',
  ...extra,
});

describe('withdrawProvenOff', () => {
  it('only an answer that said "false" proves withdrawals off', () => {
    expect(withdrawProvenOff(audit(false))).toBe(true);
    expect(withdrawProvenOff(audit(null))).toBe(false);
    expect(withdrawProvenOff(audit(true))).toBe(false);
    expect(withdrawProvenOff(couldNotVerify)).toBe(false);
    expect(withdrawProvenOff(undefined)).toBe(false);
    // An audit stored by an older version, or a malformed one, proves nothing.
    expect(withdrawProvenOff({ verdict: 'ok' } as unknown as Audit)).toBe(false);
  });
});

describe('liveRefusal', () => {
  it('lets a proven key go live', () => {
    expect(liveRefusal(conn({ lastAudit: audit(false) }))).toBeNull();
  });

  it('refuses an unknown withdraw permission, saying why and what to do', () => {
    const message = liveRefusal(conn({ lastAudit: couldNotVerify }));
    expect(message).toMatch(/could not read this key's permissions from Binance/);
    expect(message).toContain('sentinel-host connections audit c_test1');
    expect(message).toMatch(/Re-audit on the Sentinel dashboard/);
    expect(message).toMatch(/Binance's API Management page/);
    expect(message).toMatch(/"Enable Withdrawals"/);
    expect(liveRefusal(conn({ lastAudit: audit(null) }))).toMatch(
      /did not say whether withdrawals/,
    );
    expect(liveRefusal(conn())).toMatch(/not been audited/);
  });
});

describe('pauseAfterAudit', () => {
  it('a blocking audit pauses, with the words it always had', () => {
    expect(pauseAfterAudit(conn(), audit(true), false)).toEqual({
      kind: 'pause',
      reason: BLOCK_PAUSE_REASON,
    });
  });

  it('a live connection whose withdrawals are no longer proven off is paused', () => {
    const action = pauseAfterAudit(conn(), couldNotVerify, false);
    expect(action.kind).toBe('pause');
    expect(isUnprovenPause(action.kind === 'pause' ? action.reason : '')).toBe(true);
  });

  it('a dry-run connection is not paused (it sends nothing and cannot go live)', () => {
    expect(pauseAfterAudit(conn({ mode: 'dry-run' }), couldNotVerify, false)).toEqual({
      kind: 'keep',
    });
  });

  it('keeps another pause and its words (a rejected key, a blocked audit)', () => {
    const rejected = conn({ pausedReason: 'the exchange rejected the key: …' });
    expect(pauseAfterAudit(rejected, couldNotVerify, false)).toEqual({ kind: 'keep' });
    expect(pauseAfterAudit(rejected, audit(false), false)).toEqual({ kind: 'keep' });
  });

  it('lifts only its own pause once an audit proves withdrawals off again', () => {
    const own = conn({ pausedReason: unprovenPauseReason(conn(), 'the last audit failed') });
    expect(pauseAfterAudit(own, audit(false), false)).toEqual({ kind: 'lift' });
    expect(pauseAfterAudit(own, couldNotVerify, false).kind).toBe('pause');
    expect(pauseAfterAudit(conn(), audit(false), false)).toEqual({ kind: 'keep' });
  });

  it('rotation: a new key that passes lifts any pause; one that is not proven pauses a live connection', () => {
    const blocked = conn({ pausedReason: BLOCK_PAUSE_REASON });
    expect(pauseAfterAudit(blocked, audit(false), true)).toEqual({ kind: 'lift' });
    expect(pauseAfterAudit(blocked, couldNotVerify, true).kind).toBe('pause');
    expect(pauseAfterAudit(conn({ mode: 'dry-run' }), couldNotVerify, true)).toEqual({
      kind: 'lift',
    });
  });
});

describe('pauseAfterFailedAudit', () => {
  it('pauses a live connection that is not paused yet, naming the problem', () => {
    const action = pauseAfterFailedAudit(conn(), 'could not reach Binance; try again.');
    expect(action.kind).toBe('pause');
    const reason = action.kind === 'pause' ? action.reason : '';
    expect(isUnprovenPause(reason)).toBe(true);
    expect(reason).toContain('(could not reach Binance; try again)');
    expect(reason).toContain('connections audit c_test1');
  });

  it('leaves dry-run and already paused connections alone', () => {
    expect(pauseAfterFailedAudit(conn({ mode: 'dry-run' }), 'x')).toEqual({ kind: 'keep' });
    expect(pauseAfterFailedAudit(conn({ pausedReason: 'paused' }), 'x')).toEqual({ kind: 'keep' });
  });
});
