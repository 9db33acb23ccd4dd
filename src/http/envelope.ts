/** Logical response → Vault's JSON envelope, including the sys top-level injection quirk. */
import type { LogicalResponse } from '../framework/logical.js';
import { isEmptyResponse, responseEnvelope, wrappedEnvelope } from '../core/wrapping/serialize.js';

/** sys routes whose `data` keys are also written at the top level (old clients read them there). */
const INJECTED_SYS_ROUTES: RegExp[] = [
  /^sys\/audit(\/.*)?$/, /^sys\/audit-hash\/.+$/, /^sys\/auth(\/.*)?$/, /^sys\/config\/cors$/,
  /^sys\/config\/auditing\/request-headers(\/.*)?$/, /^sys\/capabilities$/, /^sys\/capabilities-accessor$/,
  /^sys\/capabilities-self$/, /^sys\/ha-status$/, /^sys\/key-status$/, /^sys\/mounts(\/.*)?$/,
  /^sys\/policy(\/.*)?$/, /^sys\/rekey\/backup$/, /^sys\/rekey\/recovery-key-backup$/, /^sys\/remount$/,
  /^sys\/rotate$/, /^sys\/wrapping\/wrap$/,
];

export function injectsTopLevel(path: string): boolean {
  if (!path.startsWith('sys/')) return false;
  const clean = path.endsWith('/') ? path.slice(0, -1) : path;
  return INJECTED_SYS_ROUTES.some((r) => r.test(clean));
}

export function envelope(requestId: string, path: string, response: LogicalResponse): Record<string, unknown> {
  if (response.wrapInfo) return wrappedEnvelope(response.wrapInfo, response.warnings);
  const body = responseEnvelope(requestId, response);
  if (response.data && injectsTopLevel(path)) {
    for (const [key, value] of Object.entries(response.data)) if (!(key in body)) body[key] = value;
  }
  return body;
}

/** True when the response has nothing to say: Vault answers 204. */
export function isEmpty(response: LogicalResponse): boolean {
  return isEmptyResponse(response);
}
