import {
  ERROR_CODES,
  RpcError,
  classify,
  failure,
  request,
  success,
  toRpcError,
} from '../../src/protocol/jsonrpc.js';

describe('classify', () => {
  it('recognises requests, notifications and responses', () => {
    expect(classify(request(7, 'connections.list')).kind).toBe('request');
    expect(classify({ jsonrpc: '2.0', method: 'order.updated', params: {} }).kind).toBe(
      'notification',
    );
    expect(classify(success(7, [])).kind).toBe('response');
    expect(classify(failure(null, new RpcError('PARSE_ERROR', 'x'))).kind).toBe('response');
  });

  it.each([
    [null, 'expected a JSON-RPC 2.0 object'],
    [[1, 2], 'expected a JSON-RPC 2.0 object'],
    ['hello', 'expected a JSON-RPC 2.0 object'],
    [{ id: 1, method: 'x' }, 'missing "jsonrpc": "2.0"'],
    [{ jsonrpc: '2.0', id: 1, method: '' }, '"method" must be a non-empty string'],
    [{ jsonrpc: '2.0', id: 1, method: 5 }, '"method" must be a non-empty string'],
    [{ jsonrpc: '2.0', id: { x: 1 }, method: 'a' }, '"id" must be a string or a number'],
    [
      { jsonrpc: '2.0', id: 1, method: 'a', params: 'str' },
      '"params" must be an object or an array',
    ],
    [{ jsonrpc: '2.0', id: 1 }, 'neither a request'],
    [{ jsonrpc: '2.0', id: 1, error: { code: 'x' } }, '"error" must have a numeric code'],
  ])('%j is invalid: %s', (value, problem) => {
    const c = classify(value);
    expect(c.kind).toBe('invalid');
    if (c.kind === 'invalid') expect(c.problem).toContain(problem);
  });

  it('keeps the id of an invalid request so the error can answer it', () => {
    const c = classify({ jsonrpc: '1.0', id: 'abc', method: 'x' });
    expect(c).toMatchObject({ kind: 'invalid', id: 'abc' });
  });
});

describe('RpcError', () => {
  it('carries a stable reason and code in data.reason', () => {
    const e = new RpcError('VAULT_LOCKED', 'vault is locked', { hint: 'unlock' }).toErrorObject();
    expect(e).toEqual({
      code: -32001,
      message: 'vault is locked',
      data: { hint: 'unlock', reason: 'VAULT_LOCKED' },
    });
  });

  it('a detail cannot override the reason', () => {
    const e = new RpcError('NOT_FOUND', 'x', { reason: 'INTERNAL' }).toErrorObject();
    expect(e.data.reason).toBe('NOT_FOUND');
  });

  it('round-trips through toRpcError; unknown reasons become INTERNAL', () => {
    const back = toRpcError(
      new RpcError('KEY_UNSAFE', 'withdraw on', { audit: { verdict: 'block' } }).toErrorObject(),
    );
    expect(back.reason).toBe('KEY_UNSAFE');
    expect(back.details).toEqual({ audit: { verdict: 'block' } });
    expect(toRpcError({ code: -1, message: 'm', data: { reason: 'NOPE' as never } }).reason).toBe(
      'INTERNAL',
    );
  });

  it('every reason the protocol names has a distinct code', () => {
    for (const r of [
      'PARSE_ERROR',
      'INVALID_REQUEST',
      'METHOD_NOT_FOUND',
      'INVALID_PARAMS',
      'MESSAGE_TOO_LARGE',
      'FORBIDDEN_ORIGIN',
      'VAULT_ABSENT',
      'VAULT_EXISTS',
      'VAULT_LOCKED',
      'BAD_PASSPHRASE',
      'VAULT_CORRUPT',
      'NOT_FOUND',
      'KEY_REJECTED',
      'KEY_UNSAFE',
      'EXCHANGE_UNREACHABLE',
      'TRADING_PAUSED',
      'INTERNAL',
    ]) {
      expect(ERROR_CODES).toHaveProperty(r);
    }
    const codes = Object.values(ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
