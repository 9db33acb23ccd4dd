/**
 * Audit entries in Vault's JSON layout (OpenBao audit/format.go: AuditRequestEntry,
 * AuditResponseEntry). Fields are `omitempty` at struct level; values inside `data` are kept
 * as they are (only hashed). Unless `log_raw`, every client token, wrapping token, accessor
 * (unless `hmac_accessor=false`) and string in request/response data is an HMAC.
 */
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import { hashValue, NO_KEYS, type Hasher } from './hash.js';
import { makeRoom } from '../../util/evict.js';

export interface FormatOptions {
  logRaw: boolean;
  hmacAccessor: boolean;
  elideListResponses: boolean;
}

export interface EntryInput {
  req: LogicalRequest;
  response?: LogicalResponse;
  error?: Error;
  /** Keys whose values stay in clear (the mount's audit_non_hmac_*_keys). */
  nonHmacRequestKeys?: ReadonlySet<string>;
  nonHmacResponseKeys?: ReadonlySet<string>;
  /** RFC3339Nano UTC. */
  time: string;
}

/** Go's omitempty: undefined, null, '', false, 0, empty arrays and empty objects are left out. */
function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true;
  if (typeof v !== 'object') return false;
  return Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
}

/**
 * An object built field by field with Go's omitempty: fields keep the order they are set in,
 * empty ones are never added (no intermediate object to filter, on every request).
 */
class Fields {
  readonly out: Record<string, unknown> = {};
  set(key: string, value: unknown): this {
    if (!isEmptyValue(value)) this.out[key] = value;
    return this;
  }
}

/** Entries of the same token and accessor repeat request after request: their HMACs are kept. */
const MEMO_LIMIT = 1024;

function memoized(hash: Hasher): Hasher {
  const memo = new Map<string, string>();
  return (value) => {
    let digest = memo.get(value);
    if (digest === undefined) {
      digest = hash(value);
      makeRoom(memo, MEMO_LIMIT);
      memo.set(value, digest);
    }
    return digest;
  };
}

/** The last instant formatted, and its text: requests in the same millisecond share it. */
let lastTime = NaN;
let lastText = '';

/** Go's time.Format(RFC3339Nano) in UTC: trailing zeros of the fraction dropped. */
export function rfc3339Nano(date: Date): string {
  const ms = date.getTime();
  if (ms !== lastTime) {
    lastText = date.toISOString().replace(/\.?0+Z$/, 'Z');
    lastTime = ms;
  }
  return lastText;
}

function mountClass(req: LogicalRequest): string {
  if (req.mountPoint.startsWith('auth/')) return 'auth';
  return req.mountType === 'system' ? '' : 'secret';
}

export function createEntryFormatter(hash: Hasher, options: FormatOptions) {
  const raw = options.logRaw;
  // Tokens and accessors only: data values are hashed afresh (secrets are not kept here).
  const hashId = memoized(hash);
  const token = (v: string | undefined): string | undefined => (v && !raw ? hashId(v) : v);
  const accessor = (v: string | undefined): string | undefined => (v && !raw && options.hmacAccessor ? hashId(v) : v);
  const data = (d: Record<string, unknown> | null | undefined, skip: ReadonlySet<string> | undefined) => {
    if (!d) return undefined;
    return raw ? d : (hashValue(d, hash, skip ?? NO_KEYS) as Record<string, unknown>);
  };

  function authOf(req: LogicalRequest): Record<string, unknown> {
    const c = req.caller;
    if (!c) return {};
    return new Fields()
      .set('client_token', token(req.clientToken))
      .set('accessor', accessor(c.tokenAccessor))
      .set('display_name', c.displayName)
      .set('policies', c.policies)
      .set('token_policies', c.policies)
      .set('metadata', c.metadata)
      .set('entity_id', c.entityId)
      .set('token_type', c.tokenType)
      .out;
  }

  function requestOf(input: EntryInput): Record<string, unknown> {
    const { req } = input;
    return new Fields()
      .set('id', req.id)
      .set('operation', req.operation)
      .set('mount_point', req.mountPoint)
      .set('mount_type', req.mountType)
      .set('mount_accessor', req.mountAccessor)
      .set('mount_class', mountClass(req))
      .set('client_token', token(req.clientToken))
      .set('client_token_accessor', accessor(req.caller?.tokenAccessor))
      .set('namespace', { id: 'root' })
      .set('path', req.path)
      .set('data', data(req.data, input.nonHmacRequestKeys))
      .set('remote_address', req.remoteAddress)
      .set('remote_port', req.remotePort)
      .set('wrap_ttl', req.wrapTtlSeconds)
      .out;
  }

  function responseAuthOf(minted: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (!minted) return undefined;
    return new Fields()
      .set('client_token', token(minted.client_token as string | undefined))
      .set('accessor', accessor(minted.accessor as string | undefined))
      .set('display_name', minted.display_name)
      .set('policies', minted.policies)
      .set('token_policies', minted.token_policies)
      .set('metadata', minted.metadata)
      .set('num_uses', minted.num_uses)
      .set('entity_id', minted.entity_id)
      .set('token_type', minted.token_type)
      .set('token_ttl', minted.lease_duration)
      .out;
  }

  function responseDataOf(input: EntryInput): Record<string, unknown> | undefined {
    const { response, req } = input;
    if (!response) return undefined;
    let body: Record<string, unknown> | null | undefined = response.data;
    if (response.raw) {
      const rawBody = response.raw.body;
      body = {
        http_status_code: response.raw.status,
        http_content_type: response.raw.contentType,
        http_raw_body: typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'),
      };
    }
    if (body && options.elideListResponses && req.operation === 'list') {
      body = { ...body };
      if (Array.isArray(body.keys)) body.keys = body.keys.length;
      if (body.key_info && typeof body.key_info === 'object') body.key_info = Object.keys(body.key_info).length;
    }
    return data(body, input.nonHmacResponseKeys);
  }

  function responseOf(input: EntryInput): Record<string, unknown> {
    const { req, response } = input;
    const wrap = response?.wrapInfo;
    return new Fields()
      .set('auth', responseAuthOf(response?.mintedAuth))
      .set('mount_point', req.mountPoint)
      .set('mount_type', req.mountType)
      .set('mount_accessor', req.mountAccessor)
      .set('mount_class', mountClass(req))
      .set('secret', response?.leaseId ? { lease_id: response.leaseId } : undefined)
      .set('data', responseDataOf(input))
      .set('warnings', response?.warnings)
      .set('wrap_info', wrap && new Fields()
        .set('ttl', wrap.ttl)
        .set('token', token(wrap.token))
        .set('accessor', accessor(wrap.accessor))
        .set('creation_time', wrap.creation_time)
        .set('creation_path', wrap.creation_path)
        .set('wrapped_accessor', accessor(wrap.wrapped_accessor))
        .out)
      .out;
  }

  /** A field's JSON, or undefined when omitempty leaves it out. */
  const json = (value: unknown): string | undefined => (isEmptyValue(value) ? undefined : JSON.stringify(value));

  /**
   * The `auth` and `request` JSON of a request entry, kept for the response entry of the same
   * request when its data is empty (reads): nothing it depends on changes between the two.
   */
  interface RequestParts { caller: unknown; data: unknown; operation: string; auth?: string; request?: string }
  const written = new WeakMap<LogicalRequest, RequestParts>();

  function requestParts(input: EntryInput): RequestParts {
    const { req } = input;
    return { caller: req.caller, data: req.data, operation: req.operation, auth: json(authOf(req)), request: json(requestOf(input)) };
  }

  /** The top-level object as JSON.stringify(omitempty(...)) writes it, from fields already in JSON. */
  function entryJson(input: EntryInput, type: string, parts: RequestParts, response?: string): string {
    let out = '{';
    if (input.time) out += `"time":${JSON.stringify(input.time)},`;
    out += `"type":"${type}"`;
    if (parts.auth !== undefined) out += `,"auth":${parts.auth}`;
    if (parts.request !== undefined) out += `,"request":${parts.request}`;
    if (response !== undefined) out += `,"response":${response}`;
    const error = input.error?.message;
    if (error) out += `,"error":${JSON.stringify(error)}`;
    return out + '}';
  }

  const noKeys = (data: unknown) => data !== null && typeof data === 'object' && isEmptyValue(data);

  return {
    request(input: EntryInput): Record<string, unknown> {
      return new Fields()
        .set('time', input.time)
        .set('type', 'request')
        .set('auth', authOf(input.req))
        .set('request', requestOf(input))
        .set('error', input.error?.message)
        .out;
    },
    response(input: EntryInput): Record<string, unknown> {
      return new Fields()
        .set('time', input.time)
        .set('type', 'response')
        .set('auth', authOf(input.req))
        .set('request', requestOf(input))
        .set('response', responseOf(input))
        .set('error', input.error?.message)
        .out;
    },
    /** JSON.stringify(request(input)), keeping the request's parts for its response entry. */
    requestJson(input: EntryInput): string {
      const parts = requestParts(input);
      if (noKeys(input.req.data)) written.set(input.req, parts);
      return entryJson(input, 'request', parts);
    },
    /** JSON.stringify(response(input)), reusing the request entry's parts when they still hold. */
    responseJson(input: EntryInput): string {
      const { req } = input;
      const kept = written.get(req);
      written.delete(req);
      const reusable = kept !== undefined && kept.caller === req.caller && kept.data === req.data
        && kept.operation === req.operation && noKeys(req.data);
      return entryJson(input, 'response', reusable ? kept : requestParts(input), json(responseOf(input)));
    },
  };
}

export type EntryFormatter = ReturnType<typeof createEntryFormatter>;
