import { InvalidRequest } from '../../errors.js';

/**
 * Request-path canonicalisation for the ACL. Policies match decoded paths literally, so a path
 * that could name one location in two spellings (`a/../b`, `a//b`, `a/./b`) is refused rather
 * than rewritten: nothing is collapsed silently, and no spelling can reach a path that the
 * policy author did not write.
 */

const CONTROL = 'path contains a control character';
const DOT_SEGMENT = 'path must not contain "." or ".." segments';
const EMPTY_SEGMENT = 'path must not contain empty segments';

/**
 * Why a decoded path is not canonical, or undefined when it is. A control character anywhere
 * wins; otherwise the first offending segment decides. One pass over the characters (this runs
 * on every request, twice).
 */
export function nonCanonicalReason(path: string): string | undefined {
  const n = path.length;
  let problem: string | undefined;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    // The end of the path closes the last segment like a "/".
    const c = i < n ? path.charCodeAt(i) : 0x2f;
    if (i < n && (c <= 0x1f || c === 0x7f)) return CONTROL;
    if (c !== 0x2f || problem !== undefined) continue;
    const length = i - start;
    // A single trailing "/" is significant (LIST); any other empty segment is not canonical.
    if (length === 0 && i !== n) problem = EMPTY_SEGMENT;
    else if ((length === 1 || length === 2) && path.charCodeAt(start) === 0x2e && path.charCodeAt(i - 1) === 0x2e) problem = DOT_SEGMENT;
    start = i + 1;
  }
  return problem;
}

/**
 * Turns the raw path after `/v1/` (percent-encoded, query string already removed) into the
 * decoded path the core routes and the ACL checks. Throws InvalidRequest for malformed
 * percent-encoding, `.`/`..` segments, empty segments (`//`, a leading `/`) and control characters
 * (`%00` included) — checked after decoding, so `%2e%2e` and `%2F` cannot smuggle them in.
 */
export function canonicalRequestPath(raw: string): string {
  if (raw.includes('?') || raw.includes('#')) throw new InvalidRequest('path must not contain a query or fragment');
  let decoded = raw;
  if (raw.includes('%')) {
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      throw new InvalidRequest('path has invalid percent-encoding');
    }
  }
  const reason = nonCanonicalReason(decoded);
  if (reason) throw new InvalidRequest(reason);
  return decoded;
}
