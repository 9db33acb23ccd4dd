/** What the identity-token paths share, and the key upkeep they all go through. */
import { importJWK, SignJWT, type JWK } from 'jose';
import type { BarrierStorage } from '../../../barrier/types.js';
import type { IdentityStore } from '../store.js';
import { createNamedKey, maintain, needsMaintenance, verificationKeys, type NamedKey } from './named-key.js';
import type { OidcStore } from './store.js';

export const ISSUER_PATH = '/v1/identity/oidc';
export const DEFAULT_KEY_NAME = 'default';

export interface OidcDeps {
  identity: IdentityStore;
  oidc: OidcStore;
  /** Milliseconds since the epoch. */
  now(): number;
  /** The server's api_addr, the issuer when none is configured. */
  apiAddr(): string | undefined;
  signer: Signer;
}

type Storage = Pick<BarrierStorage, 'get' | 'put' | 'delete' | 'list'>;

/** The issuer in tokens and discovery: the configured one or api_addr, plus /v1/identity/oidc. */
export async function effectiveIssuer(deps: OidcDeps, storage: Storage): Promise<string> {
  const { issuer } = await deps.oidc.config(storage);
  return (issuer || deps.apiAddr() || '') + ISSUER_PATH;
}

/**
 * A named key brought up to date: rotation is lazy (when its rotation period has run out, at
 * the next token issue, JWKS read or introspection), and expired public keys leave the ring.
 * Runs only on the active node, where the identity mount is loaded; nothing runs in the
 * background.
 */
export async function currentKey(deps: OidcDeps, storage: Storage, name: string): Promise<NamedKey | undefined> {
  const key = await deps.oidc.key(storage, name);
  if (!key) return undefined;
  if (!needsMaintenance(key, deps.now())) return key;
  return deps.oidc.locked(async () => {
    const fresh = await deps.oidc.key(storage, name);
    if (!fresh) return undefined;
    const updated = await maintain(fresh, deps.now());
    if (updated) await deps.oidc.putKey(storage, name, updated);
    return updated ?? fresh;
  });
}

/** Vault's `default` key, made on first use by a role: RS256, 24h/24h, any client. */
export async function ensureDefaultKey(deps: OidcDeps, storage: Storage): Promise<void> {
  if (await deps.oidc.key(storage, DEFAULT_KEY_NAME)) return;
  const key = await createNamedKey({ algorithm: 'RS256', rotationPeriod: 86400, verificationTtl: 86400, allowedClientIds: ['*'] }, deps.now());
  await deps.oidc.putKey(storage, DEFAULT_KEY_NAME, key);
}

/** Public keys of every key some role uses (as Vault publishes), each key brought up to date. */
export async function publicKeySet(deps: OidcDeps, storage: Storage): Promise<{ keys: JWK[] }> {
  const names = new Set((await deps.oidc.roles(storage)).map((r) => r.role.key));
  const keys: JWK[] = [];
  for (const name of [...names].sort()) {
    const key = await currentKey(deps, storage, name);
    if (key) keys.push(...verificationKeys(key, deps.now()));
  }
  return { keys };
}

/**
 * Signs claims with a key's current signing key. Imported private keys are cached by key id
 * for the backend's life; `clear` (backend cleanup: seal, unmount) drops them.
 */
export function createSigner() {
  const imported = new Map<string, CryptoKey>();
  const MAX = 64;
  return {
    async sign(key: NamedKey, claims: Record<string, unknown>): Promise<string> {
      const { kid, privateJwk } = key.signing;
      let privateKey = imported.get(kid);
      if (!privateKey) {
        privateKey = (await importJWK(privateJwk, key.algorithm)) as CryptoKey;
        if (imported.size >= MAX) imported.delete(imported.keys().next().value!);
        imported.set(kid, privateKey);
      }
      return new SignJWT(claims).setProtectedHeader({ alg: key.algorithm, kid }).sign(privateKey);
    },
    clear(): void {
      imported.clear();
    },
  };
}

export type Signer = ReturnType<typeof createSigner>;
