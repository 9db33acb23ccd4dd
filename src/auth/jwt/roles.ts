/** auth/jwt/role/:name — Vault's path_role.go fields and checks. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';
import { TOKEN_FIELDS, parseTokenParams, tokenParamsData, type TokenParams } from '../common/token-params.js';
import { checkBoundClaimsShape } from './claims.js';
import { parseDurationSeconds } from '../../util/duration.js';

export const JWT_ROLE_VERSION = 1;

export interface JwtRole extends TokenParams {
  v: number;
  role_type: 'jwt' | 'oidc';
  bound_audiences: string[];
  bound_subject: string;
  bound_claims: Record<string, unknown>;
  bound_claims_type: 'string' | 'glob';
  claim_mappings: Record<string, string>;
  user_claim: string;
  user_claim_json_pointer?: boolean;
  groups_claim: string;
  oidc_scopes: string[];
  allowed_redirect_uris: string[];
  clock_skew_leeway: number;
  expiration_leeway: number;
  not_before_leeway: number;
  verbose_oidc_logging: boolean;
  max_age: number;
}

const FIELDS = {
  name: { type: 'string', required: true },
  role_type: { type: 'string' },
  bound_audiences: { type: 'commaStringList' },
  bound_subject: { type: 'string' },
  bound_claims: { type: 'map' },
  bound_claims_type: { type: 'string' },
  claim_mappings: { type: 'map' },
  user_claim: { type: 'string' },
  user_claim_json_pointer: { type: 'bool', description: 'Treat user_claim as a JSON pointer.' },
  groups_claim: { type: 'string' },
  oidc_scopes: { type: 'commaStringList' },
  allowed_redirect_uris: { type: 'commaStringList' },
  clock_skew_leeway: { type: 'any', description: 'Seconds or a duration; -1 disables.' },
  expiration_leeway: { type: 'any', description: 'Seconds or a duration; 0 = 150s, -1 disables.' },
  not_before_leeway: { type: 'any', description: 'Seconds or a duration; 0 = 150s, -1 disables.' },
  verbose_oidc_logging: { type: 'bool' },
  max_age: { type: 'duration' },
  ...TOKEN_FIELDS,
} as const;

const roleKey = (name: string) => `role/${name.toLowerCase()}`;

export const readRole = (storage: Pick<BarrierStorage, 'get'>, name: string) =>
  name === '' || name.includes('/') ? Promise.resolve(undefined) : getJson<JwtRole>(storage, roleKey(name));

/** Leeways: a duration, or -1 (disabled). */
function leeway(name: string, raw: unknown, current: number): number {
  if (raw === undefined || raw === null) return current;
  if (raw === -1 || raw === '-1') return -1;
  const seconds = parseDurationSeconds(raw);
  if (seconds === undefined) throw new InvalidRequest(`error converting input for field "${name}": expected a duration or -1`);
  return seconds;
}

export function rolePaths(): PathDef<any>[] {
  return [
    path({
      pattern: 'role/',
      operations: { list: async (req) => ({ data: { keys: await req.storage.list('role/') } }) },
      synopsis: 'Lists all the roles registered with the backend.',
    }),
    path({
      pattern: 'role/:name',
      fields: FIELDS,
      existenceCheck: async (req, d) => (await readRole(req.storage, d.name)) !== undefined,
      operations: {
        read: async (req, d) => {
          const role = await readRole(req.storage, d.name);
          if (!role) return undefined;
          const { v: _v, ...rest } = role;
          return { data: { ...rest, ...tokenParamsData(role) } };
        },
        delete: async (req, d) => {
          await req.storage.delete(roleKey(d.name));
          return undefined;
        },
        create: (req, d) => writeRole(req.storage, d),
        update: (req, d) => writeRole(req.storage, d),
      },
      synopsis: 'Register a role with the backend.',
    }),
  ];
}

type RoleInput = { [K in keyof typeof FIELDS]?: any } & { name: string };

async function writeRole(storage: BarrierStorage, d: RoleInput): Promise<undefined> {
  if (d.name === '' || d.name.includes('/')) throw new InvalidRequest('invalid role name');
  const current = await readRole(storage, d.name);
  const base: JwtRole = current ?? {
    v: JWT_ROLE_VERSION, role_type: 'oidc', bound_audiences: [], bound_subject: '', bound_claims: {}, bound_claims_type: 'string',
    claim_mappings: {}, user_claim: '', user_claim_json_pointer: false, groups_claim: '', oidc_scopes: [], allowed_redirect_uris: [],
    clock_skew_leeway: 0, expiration_leeway: 0, not_before_leeway: 0, verbose_oidc_logging: false, max_age: 0,
    ...parseTokenParams({}),
  };
  const role: JwtRole = { ...base, ...parseTokenParams(d, base) };
  if (d.role_type !== undefined) {
    if (d.role_type !== 'jwt' && d.role_type !== 'oidc') throw new InvalidRequest(`invalid 'role_type': must be "jwt" or "oidc"`);
    role.role_type = d.role_type;
  }
  for (const key of ['bound_audiences', 'oidc_scopes', 'allowed_redirect_uris'] as const) if (d[key] !== undefined) role[key] = d[key];
  for (const key of ['bound_subject', 'user_claim', 'groups_claim'] as const) if (d[key] !== undefined) role[key] = d[key];
  if (d.bound_claims_type !== undefined) role.bound_claims_type = d.bound_claims_type;
  if (d.bound_claims !== undefined) role.bound_claims = d.bound_claims;
  if (d.claim_mappings !== undefined) {
    const mappings: Record<string, string> = {};
    const targets = new Set<string>();
    for (const [claim, target] of Object.entries(d.claim_mappings as Record<string, unknown>)) {
      if (typeof target !== 'string') throw new InvalidRequest('claim_mappings values must be strings');
      if (targets.has(target)) throw new InvalidRequest(`multiple keys are mapped to metadata key "${target}"`);
      targets.add(target);
      mappings[claim] = target;
    }
    role.claim_mappings = mappings;
  }
  if (d.user_claim_json_pointer !== undefined) role.user_claim_json_pointer = d.user_claim_json_pointer;
  if (d.verbose_oidc_logging !== undefined) role.verbose_oidc_logging = d.verbose_oidc_logging;
  if (d.max_age !== undefined) role.max_age = d.max_age;
  role.clock_skew_leeway = leeway('clock_skew_leeway', d.clock_skew_leeway, role.clock_skew_leeway);
  role.expiration_leeway = leeway('expiration_leeway', d.expiration_leeway, role.expiration_leeway);
  role.not_before_leeway = leeway('not_before_leeway', d.not_before_leeway, role.not_before_leeway);

  checkBoundClaimsShape(role.bound_claims, role.bound_claims_type);
  if (role.user_claim === '') throw new InvalidRequest('a user claim must be defined on the role');
  if (role.role_type === 'oidc' && role.allowed_redirect_uris.length === 0) {
    throw new InvalidRequest("'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.");
  }
  if (role.role_type === 'jwt' && role.bound_audiences.length === 0 && role.bound_subject === '' && Object.keys(role.bound_claims).length === 0 && role.token_bound_cidrs.length === 0) {
    throw new InvalidRequest('must have at least one bound constraint when creating/updating a role');
  }
  await putJson(storage, roleKey(d.name), role);
  return undefined;
}
