/**
 * Audit entries in Vault's JSON layout (OpenBao audit/format.go: AuditRequestEntry,
 * AuditResponseEntry). Fields are `omitempty` at struct level; values inside `data` are kept
 * as they are (only hashed). Unless `log_raw`, every client token, wrapping token, accessor
 * (unless `hmac_accessor=false`) and string in request/response data is an HMAC.
 */
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import { hashValue, NO_KEYS, type Hasher } from './hash.js';

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

/** Drops undefined, '', false, 0, null, empty arrays and empty objects (Go's omitempty). */
function omitEmpty(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === '' || v === false || v === 0) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** Go's time.Format(RFC3339Nano) in UTC: trailing zeros of the fraction dropped. */
export function rfc3339Nano(date: Date): string {
  return date.toISOString().replace(/\.?0+Z$/, 'Z');
}

function mountClass(req: LogicalRequest): string {
  if (req.mountPoint.startsWith('auth/')) return 'auth';
  return req.mountType === 'system' ? '' : 'secret';
}

export function createEntryFormatter(hash: Hasher, options: FormatOptions) {
  const raw = options.logRaw;
  const token = (v: string | undefined): string | undefined => (v && !raw ? hash(v) : v);
  const accessor = (v: string | undefined): string | undefined => (v && !raw && options.hmacAccessor ? hash(v) : v);
  const data = (d: Record<string, unknown> | null | undefined, skip: ReadonlySet<string> | undefined) => {
    if (!d) return undefined;
    return raw ? d : (hashValue(d, hash, skip ?? NO_KEYS) as Record<string, unknown>);
  };

  function authOf(req: LogicalRequest): Record<string, unknown> {
    const c = req.caller;
    if (!c) return {};
    return omitEmpty({
      client_token: token(req.clientToken),
      accessor: accessor(c.tokenAccessor),
      display_name: c.displayName,
      policies: c.policies,
      token_policies: c.policies,
      metadata: c.metadata,
      entity_id: c.entityId,
      token_type: c.tokenType,
    });
  }

  function requestOf(input: EntryInput): Record<string, unknown> {
    const { req } = input;
    return omitEmpty({
      id: req.id,
      operation: req.operation,
      mount_point: req.mountPoint,
      mount_type: req.mountType,
      mount_accessor: req.mountAccessor,
      mount_class: mountClass(req),
      client_token: token(req.clientToken),
      client_token_accessor: accessor(req.caller?.tokenAccessor),
      namespace: { id: 'root' },
      path: req.path,
      data: data(req.data, input.nonHmacRequestKeys),
      remote_address: req.remoteAddress,
      remote_port: req.remotePort,
      wrap_ttl: req.wrapTtlSeconds,
    });
  }

  function responseAuthOf(minted: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (!minted) return undefined;
    return omitEmpty({
      client_token: token(minted.client_token as string | undefined),
      accessor: accessor(minted.accessor as string | undefined),
      display_name: minted.display_name,
      policies: minted.policies,
      token_policies: minted.token_policies,
      metadata: minted.metadata,
      num_uses: minted.num_uses,
      entity_id: minted.entity_id,
      token_type: minted.token_type,
      token_ttl: minted.lease_duration,
    });
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
    return omitEmpty({
      auth: responseAuthOf(response?.mintedAuth),
      mount_point: req.mountPoint,
      mount_type: req.mountType,
      mount_accessor: req.mountAccessor,
      mount_class: mountClass(req),
      secret: response?.leaseId ? { lease_id: response.leaseId } : undefined,
      data: responseDataOf(input),
      warnings: response?.warnings,
      wrap_info: wrap && omitEmpty({
        ttl: wrap.ttl,
        token: token(wrap.token),
        accessor: accessor(wrap.accessor),
        creation_time: wrap.creation_time,
        creation_path: wrap.creation_path,
        wrapped_accessor: accessor(wrap.wrapped_accessor),
      }),
    });
  }

  return {
    request(input: EntryInput): Record<string, unknown> {
      return omitEmpty({
        time: input.time,
        type: 'request',
        auth: authOf(input.req),
        request: requestOf(input),
        error: input.error?.message,
      });
    },
    response(input: EntryInput): Record<string, unknown> {
      return omitEmpty({
        time: input.time,
        type: 'response',
        auth: authOf(input.req),
        request: requestOf(input),
        response: responseOf(input),
        error: input.error?.message,
      });
    },
  };
}

export type EntryFormatter = ReturnType<typeof createEntryFormatter>;
