/**
 * The OIDC authorisation-code flow with PKCE (Vault's path_oidc.go): `oidc/auth_url` makes
 * state, nonce and a code verifier and returns the provider's authorisation URL;
 * `oidc/callback` exchanges the code at the token endpoint and validates the ID token,
 * including its nonce. States live in memory for five minutes and are used once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { InvalidRequest, PermissionDenied, TooManyRequests, UpstreamError } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import { remoteAddressAllowed } from '../../core/tokens/cidr.js';
import { readJwtConfig, type JwtConfig } from './config.js';
import { fetchJson } from './fetch.js';
import { readRole } from './roles.js';
import { authFromClaims, verifyToken, type VerifyDeps } from './verify.js';

const STATE_TTL_MS = 5 * 60_000;
/** auth_url is unauthenticated: bound the pending states so it cannot grow memory without limit. */
const MAX_PENDING_STATES = 10_000;

interface PendingState {
  role: string;
  redirectUri: string;
  nonce: string;
  codeVerifier: string;
  clientNonce: string;
  expiresAt: number;
}

const b64url = (b: Buffer) => b.toString('base64url');

export function createStateStore(now: () => number = Date.now) {
  const states = new Map<string, PendingState>();
  const sweep = () => { for (const [k, v] of states) if (v.expiresAt <= now()) states.delete(k); };
  return {
    add(entry: Omit<PendingState, 'expiresAt'>): string {
      sweep();
      if (states.size >= MAX_PENDING_STATES) throw new TooManyRequests('too many OIDC logins in progress; try again later');
      const id = b64url(randomBytes(24));
      states.set(id, { ...entry, expiresAt: now() + STATE_TTL_MS });
      return id;
    },
    /** Removes and returns the state: each one is good for a single callback. */
    take(id: string): PendingState | undefined {
      const entry = states.get(id);
      states.delete(id);
      return entry && entry.expiresAt > now() ? entry : undefined;
    },
    clear() { states.clear(); },
  };
}

export type StateStore = ReturnType<typeof createStateStore>;

function requireOidc(cfg: JwtConfig | undefined): JwtConfig {
  if (!cfg || !cfg.oidc_discovery_url) throw new InvalidRequest('OIDC login is not configured for this mount');
  if (!cfg.oidc_client_id) throw new InvalidRequest('OIDC client is not configured for this mount');
  return cfg;
}

export function oidcPaths(deps: VerifyDeps & { states: StateStore }): PathDef<any>[] {
  return [
    path({
      pattern: 'oidc/auth_url',
      fields: { role: { type: 'string' }, redirect_uri: { type: 'string' }, client_nonce: { type: 'string' } } as const,
      operations: {
        update: async (req, d) => {
          const cfg = requireOidc(await readJwtConfig(req.storage));
          const roleName = d.role || cfg.default_role;
          if (!roleName) throw new InvalidRequest('missing role');
          const role = await readRole(req.storage, roleName);
          if (!role) throw new InvalidRequest('role could not be found');
          if (role.role_type !== 'oidc') throw new InvalidRequest('role is not an OIDC role');
          const redirectUri = d.redirect_uri ?? '';
          if (redirectUri === '') throw new InvalidRequest('missing redirect_uri');
          if (!role.allowed_redirect_uris.includes(redirectUri)) throw new InvalidRequest('unauthorized redirect_uri');
          const discovery = await deps.discovery(cfg);
          if (!discovery.authorization_endpoint) throw new UpstreamError('OIDC provider has no authorization_endpoint');
          const nonce = b64url(randomBytes(24));
          const codeVerifier = b64url(randomBytes(32));
          const state = deps.states.add({ role: roleName, redirectUri, nonce, codeVerifier, clientNonce: d.client_nonce ?? '' });
          const url = new URL(discovery.authorization_endpoint);
          url.searchParams.set('client_id', cfg.oidc_client_id);
          url.searchParams.set('redirect_uri', redirectUri);
          url.searchParams.set('response_type', 'code');
          url.searchParams.set('scope', ['openid', ...role.oidc_scopes.filter((s) => s !== 'openid')].join(' '));
          url.searchParams.set('state', state);
          url.searchParams.set('nonce', nonce);
          url.searchParams.set('code_challenge', b64url(createHash('sha256').update(codeVerifier).digest()));
          url.searchParams.set('code_challenge_method', 'S256');
          if (role.max_age > 0) url.searchParams.set('max_age', String(role.max_age));
          return { data: { auth_url: url.toString() } };
        },
      },
      synopsis: 'Request an authorization URL to start an OIDC login flow.',
    }),
    path({
      pattern: 'oidc/callback',
      fields: { state: { type: 'string' }, code: { type: 'string' }, id_token: { type: 'string' }, client_nonce: { type: 'string' } } as const,
      operations: {
        read: (req, d) => callback(req, d),
        update: (req, d) => callback(req, d),
      },
      synopsis: 'Callback endpoint to complete an OIDC login.',
    }),
  ];

  async function callback(req: Parameters<NonNullable<PathDef['operations']['read']>>[0], d: { state?: string; code?: string; client_nonce?: string }) {
    const pending = d.state ? deps.states.take(d.state) : undefined;
    if (!pending) throw new InvalidRequest('Expired or missing OAuth state.');
    if (pending.clientNonce !== '' && pending.clientNonce !== (d.client_nonce ?? '')) throw new InvalidRequest('invalid client_nonce');
    const cfg = requireOidc(await readJwtConfig(req.storage));
    const role = await readRole(req.storage, pending.role);
    if (!role) throw new InvalidRequest('role could not be found');
    if (!remoteAddressAllowed(req.remoteAddress, role.token_bound_cidrs)) throw new PermissionDenied('request originated from invalid CIDR');
    if (!d.code) throw new InvalidRequest('OAuth code parameter not provided');
    const discovery = await deps.discovery(cfg);
    if (!discovery.token_endpoint) throw new UpstreamError('OIDC provider has no token_endpoint');
    const body = new URLSearchParams({ grant_type: 'authorization_code', code: d.code, redirect_uri: pending.redirectUri, code_verifier: pending.codeVerifier });
    const basic = Buffer.from(`${encodeURIComponent(cfg.oidc_client_id)}:${encodeURIComponent(cfg.oidc_client_secret)}`).toString('base64');
    const { status, json } = await fetchJson(discovery.token_endpoint, 'error exchanging oidc code', {
      method: 'POST', caPem: cfg.oidc_discovery_ca_pem, body: body.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
    });
    if (status !== 200) throw new InvalidRequest('error exchanging oidc code: the provider refused the code');
    const idToken = json.id_token;
    if (typeof idToken !== 'string' || idToken === '') throw new InvalidRequest('No id_token found in response.');
    const audiences = [cfg.oidc_client_id];
    const claims = await verifyToken(deps, cfg, role, idToken, { audiences });
    if (role.bound_audiences.length > 0) {
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!aud.some((a) => typeof a === 'string' && role.bound_audiences.includes(a))) throw new InvalidRequest('error validating token: invalid audience (aud) claim: audience claim does not match any expected audience');
    }
    if (claims.nonce !== pending.nonce) throw new InvalidRequest('invalid ID token nonce.');
    return { auth: authFromClaims(pending.role, role, claims) };
  }
}
