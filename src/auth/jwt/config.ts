/** auth/jwt/config: where keys come from, the issuer, the OIDC client (Vault's path_config.go). */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';
import { fetchDiscovery, fetchJwks, parsePublicKeys } from './keys.js';

export const JWT_CONFIG_VERSION = 1;

/** The algorithms jose verifies that Vault lists as supported. */
export const SUPPORTED_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export interface JwtConfig {
  v: number;
  oidc_discovery_url: string;
  oidc_discovery_ca_pem: string;
  oidc_client_id: string;
  oidc_client_secret: string;
  oidc_response_mode: string;
  oidc_response_types: string[];
  jwks_url: string;
  jwks_ca_pem: string;
  jwt_validation_pubkeys: string[];
  jwt_supported_algs: string[];
  bound_issuer: string;
  default_role: string;
}

const FIELDS = {
  oidc_discovery_url: { type: 'string' },
  oidc_discovery_ca_pem: { type: 'string' },
  oidc_client_id: { type: 'string' },
  oidc_client_secret: { type: 'string' },
  oidc_response_mode: { type: 'string' },
  oidc_response_types: { type: 'commaStringList' },
  jwks_url: { type: 'string' },
  jwks_ca_pem: { type: 'string' },
  jwt_validation_pubkeys: { type: 'commaStringList' },
  jwt_supported_algs: { type: 'commaStringList' },
  bound_issuer: { type: 'string' },
  default_role: { type: 'string' },
} as const;

export const readJwtConfig = (storage: Pick<BarrierStorage, 'get'>) => getJson<JwtConfig>(storage, 'config');

export function configPaths(deps: { onChange(): void }): PathDef<any>[] {
  return [
    path({
      pattern: 'config',
      fields: FIELDS,
      operations: {
        read: async (req) => {
          const cfg = await readJwtConfig(req.storage);
          if (!cfg) return undefined;
          const { v: _v, oidc_client_secret: _secret, ...shown } = cfg;
          return { data: shown };
        },
        update: async (req, d) => {
          const cfg: JwtConfig = {
            v: JWT_CONFIG_VERSION,
            oidc_discovery_url: d.oidc_discovery_url ?? '',
            oidc_discovery_ca_pem: d.oidc_discovery_ca_pem ?? '',
            oidc_client_id: d.oidc_client_id ?? '',
            oidc_client_secret: d.oidc_client_secret ?? '',
            oidc_response_mode: d.oidc_response_mode ?? '',
            oidc_response_types: d.oidc_response_types ?? [],
            jwks_url: d.jwks_url ?? '',
            jwks_ca_pem: d.jwks_ca_pem ?? '',
            jwt_validation_pubkeys: splitPems(d.jwt_validation_pubkeys ?? []),
            jwt_supported_algs: d.jwt_supported_algs ?? [],
            bound_issuer: d.bound_issuer ?? '',
            default_role: d.default_role ?? '',
          };
          const methods = [cfg.oidc_discovery_url !== '', cfg.jwt_validation_pubkeys.length > 0, cfg.jwks_url !== ''].filter(Boolean).length;
          if (methods !== 1) throw new InvalidRequest("exactly one of 'jwt_validation_pubkeys', 'jwks_url' or 'oidc_discovery_url' must be set");
          if ((cfg.oidc_client_id === '') !== (cfg.oidc_client_secret === '')) throw new InvalidRequest("both 'oidc_client_id' and 'oidc_client_secret' must be set for OIDC");
          for (const alg of cfg.jwt_supported_algs) {
            if (!(SUPPORTED_ALGS as readonly string[]).includes(alg)) throw new InvalidRequest('invalid jwt_supported_algs: unsupported signing algorithm');
          }
          if (cfg.oidc_discovery_url) {
            try { await fetchDiscovery(cfg.oidc_discovery_url, cfg.oidc_discovery_ca_pem); } catch (err) {
              throw new InvalidRequest(`error checking oidc discovery URL: ${(err as Error).message}`);
            }
          } else if (cfg.jwks_url) {
            try { await fetchJwks(cfg.jwks_url, cfg.jwks_ca_pem); } catch (err) {
              throw new InvalidRequest(`error checking jwks URL: ${(err as Error).message}`);
            }
          } else {
            parsePublicKeys(cfg.jwt_validation_pubkeys);
          }
          await putJson(req.storage, 'config', cfg);
          deps.onChange();
          return undefined;
        },
      },
      synopsis: 'Configure the JWT authentication backend.',
    }),
  ];
}

/** A comma-split list may cut PEM blocks apart only at commas, which PEM never contains; keep whole items. */
function splitPems(items: string[]): string[] {
  return items.filter((s) => s.trim() !== '');
}
