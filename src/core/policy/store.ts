/**
 * The ACL policy store: named policies kept behind the barrier (a `sys/policy/` view), one
 * entry per policy holding the raw text as written. `root` is virtual (never stored); the
 * built-in `default` is written at load when missing and `response-wrapping` is kept current.
 * Modelled on OpenBao internal/vault/policy_store.go.
 */
import type { BarrierStorage } from '../../barrier/types.js';
import { ArcaError, InvalidRequest } from '../../errors.js';
import type { Subsystem } from '../core.js';
import {
  ROOT_POLICY, ROOT_POLICY_NAME, STORED_BUILTIN_POLICIES,
  assertPolicyDeletable, assertPolicyWritable, isAssignablePolicyName,
} from './builtin.js';
import { normalizePolicyName } from './names.js';
import { parsePolicy } from './parse.js';
import type { Policy } from './types.js';

/** Version of the stored entry layout (a permanent contract; decode every past version). */
export const POLICY_ENTRY_VERSION = 1;

/** The stored JSON for one policy: `{"v":1,"type":"acl","name":"...","raw":"...","templated":false}`. */
export interface StoredPolicyEntry {
  v: number;
  type: 'acl';
  name: string;
  raw: string;
  templated: boolean;
}

export function encodePolicyEntry(policy: Policy): Buffer {
  const entry: StoredPolicyEntry = {
    v: POLICY_ENTRY_VERSION, type: 'acl', name: policy.name, raw: policy.raw, templated: policy.templated,
  };
  return Buffer.from(JSON.stringify(entry), 'utf8');
}

export function decodePolicyEntry(bytes: Buffer): StoredPolicyEntry {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ArcaError('stored policy entry is not valid JSON');
  }
  const entry = value as Partial<StoredPolicyEntry> | null;
  if (!entry || typeof entry !== 'object' || entry.v !== POLICY_ENTRY_VERSION) {
    throw new ArcaError('stored policy entry has an unsupported version');
  }
  if (entry.type !== 'acl' || typeof entry.name !== 'string' || typeof entry.raw !== 'string') {
    throw new ArcaError('stored policy entry is malformed');
  }
  return { v: entry.v, type: 'acl', name: entry.name, raw: entry.raw, templated: entry.templated === true };
}

export type PolicyChangeListener = (name: string) => void;

export interface PolicyStoreDeps {
  /** A barrier view confined to the policy folder (`sys/policy/`). */
  storage: BarrierStorage;
}

function checkName(name: string): string {
  const normalized = normalizePolicyName(name);
  if (normalized === '') throw new InvalidRequest('policy name missing');
  if (normalized.includes('/')) throw new InvalidRequest('policy name must not contain "/"');
  return normalized;
}

export function createPolicyStore(deps: PolicyStoreDeps) {
  const { storage } = deps;
  /** Parsed policies by normalised name; `null` remembers "not stored". Cleared at unload. */
  const cache = new Map<string, Policy | null>();
  const listeners = new Set<PolicyChangeListener>();
  /** Bumped by `forget`: a read that started before another node changed a policy must not cache it. */
  let cacheGeneration = 0;

  function changed(name: string): void {
    for (const listener of listeners) listener(name);
  }

  async function readStored(name: string): Promise<Policy | undefined> {
    const cached = cache.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const startedAt = cacheGeneration;
    const bytes = await storage.get(name);
    const policy = bytes ? await parsePolicy(name, decodePolicyEntry(bytes).raw) : undefined;
    if (startedAt === cacheGeneration) cache.set(name, policy ?? null);
    return policy;
  }

  async function writeParsed(policy: Policy): Promise<void> {
    await storage.put(policy.name, encodePolicyEntry(policy));
    cache.set(policy.name, policy);
    changed(policy.name);
  }

  /** Writes the stored built-ins: missing ones always, `overwrite` ones whenever they differ. */
  async function loadBuiltins(): Promise<void> {
    for (const builtin of STORED_BUILTIN_POLICIES) {
      const existing = await readStored(builtin.name);
      if (existing && (!builtin.overwrite || existing.raw === builtin.text)) continue;
      await writeParsed(await parsePolicy(builtin.name, builtin.text));
    }
  }

  const store = {
    name: 'policies',

    async load(): Promise<void> {
      cache.clear();
      await loadBuiltins();
    },

    /** HA standby: read only (the active writes the built-ins). */
    async loadStandby(): Promise<void> {
      cache.clear();
    },

    async unload(): Promise<void> {
      cacheGeneration++;
      cache.clear();
      changed('*');
    },

    /** Another node changed this policy (stored name): drop it and every ACL built from it. */
    forget(name: string): void {
      cacheGeneration++;
      cache.delete(name);
      changed(name);
    },

    /** The policy by (un-normalised) name; `root` is the virtual root policy. */
    async get(name: string): Promise<Policy | undefined> {
      const normalized = normalizePolicyName(name);
      if (normalized === ROOT_POLICY_NAME) return ROOT_POLICY;
      if (normalized === '' || normalized.includes('/')) return undefined;
      return readStored(normalized);
    },

    /** Parses and stores a policy; refuses `root` and `response-wrapping`. Returns the parsed form. */
    async set(name: string, text: string): Promise<Policy> {
      const normalized = checkName(name);
      assertPolicyWritable(normalized);
      const policy = await parsePolicy(normalized, text);
      await writeParsed(policy);
      return policy;
    },

    /** Deletes a policy (idempotent); refuses `root`, `response-wrapping` and `default`. */
    async delete(name: string): Promise<void> {
      const normalized = checkName(name);
      assertPolicyDeletable(normalized);
      await storage.delete(normalized);
      cache.set(normalized, null);
      changed(normalized);
    },

    /** Stored, assignable policy names, sorted (without the virtual `root`). */
    async list(): Promise<string[]> {
      const keys = await storage.list('');
      return keys.filter((k) => !k.endsWith('/') && isAssignablePolicyName(k)).sort();
    },

    /** Called with the policy name after every write or delete (`*` at unload). Returns an unsubscribe. */
    onChange(listener: PolicyChangeListener): () => void {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
  };
  return store satisfies Subsystem;
}

export type PolicyStore = ReturnType<typeof createPolicyStore>;
