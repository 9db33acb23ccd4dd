/** What the token auth method needs from core, and small helpers every path group shares. */
import type { BarrierStorage } from '../../barrier/types.js';
import type { LogicalRequest } from '../../framework/logical.js';
import type { MountManager } from '../../core/mounts/manager.js';
import type { AclProvider } from '../../core/request/ports.js';
import type { TokenEntry } from '../../core/tokens/entry.js';
import type { TokenStore } from '../../core/tokens/store.js';

export interface TokenLeases {
  /** Registers a token lease (so expiry revokes it). */
  registerToken(entry: TokenEntry): Promise<void>;
  /** Moves a token lease's expiry after a renewal. */
  renewToken?(entry: TokenEntry): Promise<void>;
}

export interface TokenBackendDeps {
  tokens: TokenStore;
  /** The token mount's own storage (roles). */
  storage: BarrierStorage;
  /** For the TTL limits of the mount a token came from (tokens from logins). */
  mounts?: Pick<MountManager, 'byAccessor' | 'find'>;
  /** Server-wide default/max lease TTL, seconds. */
  systemLimits: () => { defaultTtl: number; maxTtl: number };
  leases?: TokenLeases;
  /** Does the caller hold sudo on this request's path? Defaults to "is a root token". */
  sudo?: (req: LogicalRequest) => Promise<boolean>;
}

/** A sudo checker backed by the ACL (the token's policies, the request's path). */
export function sudoFromAcl(acl: AclProvider): (req: LogicalRequest) => Promise<boolean> {
  return async (req) => {
    if (!req.caller) return false;
    if (req.caller.isRoot) return true;
    const check = await acl.aclFor(req.caller.policies);
    return check.allowOperation({ path: req.path, operation: req.operation, data: req.data }).rootPrivs;
  };
}

export async function callerHasSudo(deps: TokenBackendDeps, req: LogicalRequest): Promise<boolean> {
  if (req.caller?.isRoot) return true;
  return deps.sudo ? deps.sudo(req) : false;
}

/** The effective TTL limits for a token: its issuing auth mount's, else the token mount's. */
export function ttlLimitsFor(deps: TokenBackendDeps, entry?: Pick<TokenEntry, 'authMount'>): { defaultTtl: number; maxTtl: number } {
  const system = deps.systemLimits();
  const mount = (entry?.authMount ? deps.mounts?.byAccessor(entry.authMount) : undefined) ?? deps.mounts?.find('auth', 'token/');
  const maxTtl = mount?.entry.config.maxLeaseTtl || system.maxTtl;
  const defaultTtl = Math.min(mount?.entry.config.defaultLeaseTtl || system.defaultTtl, maxTtl);
  return { defaultTtl, maxTtl };
}

/**
 * The caller's own entry, including on its last permitted use (the pipeline has already
 * counted the use, so a plain lookup would no longer find it).
 */
export async function callerEntry(deps: TokenBackendDeps, req: LogicalRequest): Promise<TokenEntry | undefined> {
  if (!req.caller) return undefined;
  if (req.caller.tokenType === 'batch') return deps.tokens.lookup(req.caller.clientToken);
  const entry = await deps.tokens.lookupHashed(req.caller.tokenId);
  if (!entry || entry.expireTime !== 0 && entry.expireTime <= deps.tokens.now()) return undefined;
  return entry;
}
