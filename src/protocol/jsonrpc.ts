/**
 * JSON-RPC 2.0 objects as they travel inside frames (docs/protocol.md). Pure: shared by every
 * process. Errors carry a stable `data.reason`; clients branch on the reason, never the text.
 */

export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params?: unknown;
}

export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: unknown;
}

export interface ErrorData {
  reason: ErrorReason;
  [key: string]: unknown;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data: ErrorData;
}

export interface JsonRpcSuccess {
  jsonrpc: '2.0';
  id: JsonRpcId;
  result: unknown;
}

export interface JsonRpcFailure {
  jsonrpc: '2.0';
  id: JsonRpcId | null;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcSuccess | JsonRpcFailure;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** Stable reasons and their JSON-RPC codes. Add new ones; never renumber or rename. */
export const ERROR_CODES = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  VAULT_LOCKED: -32001,
  VAULT_ABSENT: -32002,
  VAULT_EXISTS: -32003,
  BAD_PASSPHRASE: -32004,
  VAULT_CORRUPT: -32005,
  NOT_FOUND: -32006,
  KEY_REJECTED: -32007,
  KEY_UNSAFE: -32008,
  EXCHANGE_UNREACHABLE: -32009,
  TRADING_PAUSED: -32010,
  MESSAGE_TOO_LARGE: -32011,
  FORBIDDEN_ORIGIN: -32012,
  /** The bridge could not reach or start the host service. */
  SERVICE_UNAVAILABLE: -32013,
  /** Another process is writing the vault right now. */
  VAULT_BUSY: -32014,
  /** The API key is already stored for another connection (one key per bot). */
  KEY_DUPLICATE: -32015,
} as const;

export type ErrorReason = keyof typeof ERROR_CODES;

export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** An error meant for the other side: its message must say what to do next and hold no secret. */
export class RpcError extends Error {
  readonly reason: ErrorReason;
  readonly details: Record<string, unknown>;
  constructor(reason: ErrorReason, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'RpcError';
    this.reason = reason;
    this.details = details;
  }

  toErrorObject(): JsonRpcErrorObject {
    return {
      code: ERROR_CODES[this.reason],
      message: this.message,
      data: { ...this.details, reason: this.reason },
    };
  }
}

export function request(id: JsonRpcId, method: string, params: unknown = {}): JsonRpcRequest {
  return { jsonrpc: '2.0', id, method, params };
}

export function notification(method: string, params: unknown = {}): JsonRpcNotification {
  return { jsonrpc: '2.0', method, params };
}

export function success(id: JsonRpcId, result: unknown): JsonRpcSuccess {
  return { jsonrpc: '2.0', id, result };
}

export function failure(id: JsonRpcId | null, error: RpcError): JsonRpcFailure {
  return { jsonrpc: '2.0', id, error: error.toErrorObject() };
}

export type Classified =
  | { kind: 'request'; message: JsonRpcRequest }
  | { kind: 'notification'; message: JsonRpcNotification }
  | { kind: 'response'; message: JsonRpcResponse }
  | { kind: 'invalid'; id: JsonRpcId | null; problem: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Sort a decoded JSON value into one of the JSON-RPC 2.0 shapes, or say what is wrong with it. */
export function classify(value: unknown): Classified {
  if (!isObject(value)) {
    return { kind: 'invalid', id: null, problem: 'expected a JSON-RPC 2.0 object' };
  }
  const id = isId(value.id) ? value.id : null;
  if (value.jsonrpc !== '2.0') {
    return { kind: 'invalid', id, problem: 'missing "jsonrpc": "2.0"' };
  }
  if ('method' in value) {
    if (typeof value.method !== 'string' || value.method.length === 0) {
      return { kind: 'invalid', id, problem: '"method" must be a non-empty string' };
    }
    if ('params' in value && value.params !== undefined && typeof value.params !== 'object') {
      return { kind: 'invalid', id, problem: '"params" must be an object or an array' };
    }
    if (!('id' in value)) {
      return { kind: 'notification', message: value as unknown as JsonRpcNotification };
    }
    if (!isId(value.id)) {
      return { kind: 'invalid', id: null, problem: '"id" must be a string or a number' };
    }
    return { kind: 'request', message: value as unknown as JsonRpcRequest };
  }
  if ('result' in value || 'error' in value) {
    if ('error' in value) {
      const error = value.error;
      if (!isObject(error) || typeof error.code !== 'number' || typeof error.message !== 'string') {
        return { kind: 'invalid', id, problem: '"error" must have a numeric code and a message' };
      }
    }
    if (value.id !== null && !isId(value.id)) {
      return { kind: 'invalid', id: null, problem: '"id" must be a string, a number or null' };
    }
    return { kind: 'response', message: value as unknown as JsonRpcResponse };
  }
  return {
    kind: 'invalid',
    id,
    problem: 'neither a request ("method") nor a response ("result"/"error")',
  };
}

export function isFailure(response: JsonRpcResponse): response is JsonRpcFailure {
  return 'error' in response;
}

/** Turn a received error object back into an RpcError (unknown reasons become INTERNAL). */
export function toRpcError(error: JsonRpcErrorObject): RpcError {
  const data: Record<string, unknown> = isObject(error.data) ? error.data : {};
  const reason = isErrorReason(data.reason) ? data.reason : 'INTERNAL';
  const { reason: _omit, ...details } = data;
  return new RpcError(reason, error.message, details);
}
