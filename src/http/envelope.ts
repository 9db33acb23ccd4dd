/** Logical response → Vault's JSON envelope, including the sys top-level injection quirk. */
import type { LogicalResponse } from '../framework/logical.js';

/** sys routes whose `data` keys are also written at the top level (old clients read them there). */
const INJECTED_SYS_ROUTES: RegExp[] = [
  /^sys\/audit(\/.*)?$/, /^sys\/audit-hash\/.+$/, /^sys\/auth(\/.*)?$/, /^sys\/config\/cors$/,
  /^sys\/config\/auditing\/request-headers(\/.*)?$/, /^sys\/capabilities$/, /^sys\/capabilities-accessor$/,
  /^sys\/capabilities-self$/, /^sys\/ha-status$/, /^sys\/key-status$/, /^sys\/mounts(\/.*)?$/,
  /^sys\/policy(\/.*)?$/, /^sys\/rekey\/backup$/, /^sys\/rekey\/recovery-key-backup$/, /^sys\/remount$/,
  /^sys\/rotate$/, /^sys\/wrapping\/wrap$/,
];

export function injectsTopLevel(path: string): boolean {
  const clean = path.replace(/\/$/, '');
  return INJECTED_SYS_ROUTES.some((r) => r.test(clean));
}

export function envelope(requestId: string, path: string, response: LogicalResponse): Record<string, unknown> {
  if (response.wrapInfo) {
    return {
      request_id: '', lease_id: '', renewable: false, lease_duration: 0, data: null,
      wrap_info: response.wrapInfo, warnings: response.warnings ?? null, auth: null,
    };
  }
  const body: Record<string, unknown> = {
    request_id: requestId,
    lease_id: response.leaseId ?? '',
    renewable: response.secret?.renewable ?? false,
    lease_duration: response.secret?.ttlSeconds ?? 0,
    data: response.data ?? null,
    wrap_info: null,
    warnings: response.warnings && response.warnings.length > 0 ? response.warnings : null,
    auth: response.mintedAuth ?? null,
  };
  if (response.data && injectsTopLevel(path)) {
    for (const [key, value] of Object.entries(response.data)) if (!(key in body)) body[key] = value;
  }
  return body;
}

/** True when the response has nothing to say: Vault answers 204. */
export function isEmpty(response: LogicalResponse): boolean {
  return !response.data && !response.secret && !response.mintedAuth && !response.wrapInfo
    && !(response.warnings && response.warnings.length > 0);
}
