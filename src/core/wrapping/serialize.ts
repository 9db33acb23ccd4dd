/**
 * A logical response as the JSON object Vault puts on the wire (its HTTPResponse): the one
 * definition shared by http/ (what a client receives) and response wrapping (what is sealed
 * in the wrapping token's cubbyhole and handed back verbatim on unwrap). Pure: no transport.
 */
import type { LogicalResponse, WrapInfo } from '../../framework/logical.js';

function warningsOf(response: Pick<LogicalResponse, 'warnings'>): string[] | null {
  return response.warnings && response.warnings.length > 0 ? response.warnings : null;
}

/** The envelope of an unwrapped response (without http/'s sys top-level injection). */
export function responseEnvelope(requestId: string, response: LogicalResponse): Record<string, unknown> {
  return {
    request_id: requestId,
    lease_id: response.leaseId ?? '',
    renewable: response.secret?.renewable ?? false,
    lease_duration: response.secret?.ttlSeconds ?? 0,
    data: response.data ?? null,
    wrap_info: null,
    warnings: warningsOf(response),
    auth: response.mintedAuth ?? null,
  };
}

/** `wrap_info` in Vault's field order; `wrapped_accessor` only when there is one. */
export function wrapInfoJson(info: WrapInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    token: info.token,
    accessor: info.accessor,
    ttl: info.ttl,
    creation_time: info.creation_time,
    creation_path: info.creation_path,
  };
  if (info.wrapped_accessor) out.wrapped_accessor = info.wrapped_accessor;
  return out;
}

/** The reply to a wrapped request: everything empty except `wrap_info`; `request_id` is "". */
export function wrappedEnvelope(info: WrapInfo, warnings?: string[]): Record<string, unknown> {
  return {
    request_id: '',
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: null,
    wrap_info: wrapInfoJson(info),
    warnings: warningsOf({ warnings }),
    auth: null,
  };
}

/** True when the response has nothing to say (Vault answers 204 and wraps nothing). */
export function isEmptyResponse(response: LogicalResponse): boolean {
  return !response.data && !response.secret && !response.mintedAuth && !response.wrapInfo
    && !(response.warnings && response.warnings.length > 0);
}

/** Go's time.RFC3339Nano for a UTC instant: fractional seconds without trailing zeros. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  const [whole, fraction] = iso.slice(0, -1).split('.');
  const trimmed = (fraction ?? '').replace(/0+$/, '');
  return `${whole}${trimmed ? `.${trimmed}` : ''}Z`;
}
