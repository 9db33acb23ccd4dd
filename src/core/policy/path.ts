import { InvalidRequest } from '../../errors.js';

/**
 * Request-path canonicalisation for the ACL. Policies match decoded paths literally, so a path
 * that could name one location in two spellings (`a/../b`, `a//b`, `a/./b`) is refused rather
 * than rewritten: nothing is collapsed silently, and no spelling can reach a path that the
 * policy author did not write.
 */

/** Why a decoded path is not canonical, or undefined when it is. */
export function nonCanonicalReason(path: string): string | undefined {
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'path contains a control character';
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === '.' || segment === '..') return 'path must not contain "." or ".." segments';
    // A single trailing "/" is significant (LIST); any other empty segment is not canonical.
    if (segment === '' && i !== segments.length - 1 && path !== '') return 'path must not contain empty segments';
  }
  return undefined;
}

/**
 * Turns the raw path after `/v1/` (percent-encoded, query string already removed) into the
 * decoded path the core routes and the ACL checks. Throws InvalidRequest for malformed
 * percent-encoding, `.`/`..` segments, empty segments (`//`, a leading `/`) and control characters
 * (`%00` included) — checked after decoding, so `%2e%2e` and `%2F` cannot smuggle them in.
 */
export function canonicalRequestPath(raw: string): string {
  if (raw.includes('?') || raw.includes('#')) throw new InvalidRequest('path must not contain a query or fragment');
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new InvalidRequest('path has invalid percent-encoding');
  }
  const reason = nonCanonicalReason(decoded);
  if (reason) throw new InvalidRequest(reason);
  return decoded;
}
