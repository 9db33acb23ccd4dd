/** A token's policies plus those its identity (entity and groups) adds: what every ACL check uses. */
import type { IdentityResolver } from '../request/ports.js';

export async function effectivePolicies(policies: readonly string[], entityId: string, identity?: IdentityResolver): Promise<string[]> {
  const extra = identity && entityId ? await identity.policiesFor(entityId) : [];
  return extra.length > 0 ? [...policies, ...extra] : [...policies];
}
