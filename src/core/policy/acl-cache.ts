/**
 * The AclProvider the request pipeline calls: one compiled ACL per distinct set of policy
 * names, cached until any policy is written or deleted. Missing policies are ignored, as
 * Vault does (a token may name a policy that was deleted or not yet written).
 */
import type { AclProvider } from '../request/ports.js';
import { compileAcl, type Acl } from './acl.js';
import { ROOT_POLICY, ROOT_POLICY_NAME } from './builtin.js';
import { normalizePolicyName } from './names.js';
import type { PolicyStore } from './store.js';
import { makeRoom } from '../../util/evict.js';
import type { Policy } from './types.js';

/** Distinct policy sets kept compiled; the oldest is dropped beyond this. */
const CACHE_LIMIT = 1024;

export interface PolicyAclProvider extends AclProvider {
  aclFor(policies: readonly string[]): Promise<Acl>;
  cachedAclFor(policies: readonly string[]): Acl | undefined;
  /** Drops every compiled ACL (called on each policy change). */
  invalidate(): void;
}

/** Sorted, normalised, de-duplicated names. */
export function policySetKey(policies: readonly string[]): string[] {
  return [...new Set(policies.map(normalizePolicyName).filter((n) => n !== ''))].sort();
}

export function createAclProvider(store: Pick<PolicyStore, 'get' | 'onChange'>): PolicyAclProvider {
  const cache = new Map<string, Promise<Acl>>();
  /**
   * Compiled ACLs by the exact list of names a token carries (JSON: unambiguous), so a request
   * neither normalises nor sorts its token's policies once they have been seen.
   */
  const compiled = new Map<string, Acl>();
  let generation = 0;

  function invalidate(): void {
    generation++;
    cache.clear();
    compiled.clear();
  }
  store.onChange(invalidate);

  async function compile(names: string[]): Promise<Acl> {
    // Root only for exactly ["root"]; alongside other policies root is dropped (never widens).
    if (names.length === 1 && names[0] === ROOT_POLICY_NAME) return compileAcl([ROOT_POLICY]);
    const policies: Policy[] = [];
    for (const name of names) {
      if (name === ROOT_POLICY_NAME) continue;
      const policy = await store.get(name);
      if (policy) policies.push(policy);
    }
    return compileAcl(policies);
  }

  /** One compilation per distinct normalised set (concurrent requests share it). */
  function compiledSet(policies: readonly string[]): Promise<Acl> {
    const names = policySetKey(policies);
    const key = names.join('\n');
    const cached = cache.get(key);
    if (cached) return cached;
    const startedAt = generation;
    const pending = compile(names);
    makeRoom(cache, CACHE_LIMIT);
    cache.set(key, pending);
    pending.then(
      () => {
        if (generation !== startedAt && cache.get(key) === pending) cache.delete(key);
      },
      () => {
        if (cache.get(key) === pending) cache.delete(key);
      },
    );
    return pending;
  }

  return {
    cachedAclFor(policies: readonly string[]): Acl | undefined {
      return compiled.get(JSON.stringify(policies));
    },

    aclFor(policies: readonly string[]): Promise<Acl> {
      const asGiven = JSON.stringify(policies);
      const ready = compiled.get(asGiven);
      if (ready) return Promise.resolve(ready);
      const startedAt = generation;
      const pending = compiledSet(policies);
      pending.then((acl) => {
        // Only an ACL compiled from the policies as they are now (no change since) is kept.
        if (generation !== startedAt) return;
        makeRoom(compiled, CACHE_LIMIT);
        compiled.set(asGiven, acl);
      }, () => {});
      return pending;
    },
    invalidate,
  };
}
