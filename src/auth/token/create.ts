/** auth/token/create, create-orphan, create/:role_name: child, orphan and role tokens. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { FieldData } from '../../framework/fields.js';
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import { authBlock, remainingTtl } from '../../core/tokens/auth-block.js';
import { BATCH_TOKEN_PREFIX, SERVICE_TOKEN_PREFIX } from '../../core/tokens/ids.js';
import { calculateTtl } from '../../core/tokens/ttl.js';
import { callerEntry, callerHasSudo, ttlLimitsFor, type TokenBackendDeps } from './deps.js';
import { resolveTokenPolicies } from './policies.js';
import type { RoleStore, TokenRole } from './role.js';

const createFields = {
  id: { type: 'string', description: 'Token id (root/sudo only)' },
  role_name: { type: 'string', description: 'Role to create the token against' },
  policies: { type: 'commaStringList', description: 'Policies; default: the parent\'s' },
  meta: { type: 'keyPairs', description: 'Metadata' },
  no_parent: { type: 'bool', default: false, description: 'Create an orphan (root/sudo only)' },
  no_default_policy: { type: 'bool', default: false },
  renewable: { type: 'bool', default: true },
  ttl: { type: 'duration' },
  lease: { type: 'duration', description: 'Deprecated alias of ttl' },
  type: { type: 'string', description: 'service or batch' },
  explicit_max_ttl: { type: 'duration' },
  display_name: { type: 'string' },
  num_uses: { type: 'int', default: 0 },
  period: { type: 'duration' },
  entity_alias: { type: 'string', description: 'Accepted with role_name; not evaluated' },
} as const;

type CreateData = FieldData<typeof createFields>;

export function sanitizeDisplayName(name: string): string {
  return `token-${name}`.replace(/[^a-zA-Z0-9-]/g, '-').replace(/-$/, '');
}

function validateCustomId(id: string): void {
  if (id.startsWith(SERVICE_TOKEN_PREFIX) || id.startsWith(BATCH_TOKEN_PREFIX)) {
    throw new InvalidRequest("custom token ID cannot have the 'hvs.' or 'hvb.' prefix");
  }
  if (id.startsWith('s.') || id.startsWith('b.')) throw new InvalidRequest("custom token ID cannot have the 's.' prefix");
  if (id.includes('.')) throw new InvalidRequest("custom token ID cannot have a '.' in the value");
}

function tokenTypeFor(requested: string | undefined, role: TokenRole | undefined): 'service' | 'batch' {
  let type = requested ?? '';
  if (role) {
    if (role.tokenType === 'default-batch' && type === '') type = 'batch';
    else if (role.tokenType === 'service' || role.tokenType === 'batch') type = role.tokenType;
  }
  if (type === '' || type === 'service') return 'service';
  if (type === 'batch') return 'batch';
  throw new InvalidRequest("invalid 'token_type' value");
}

export function createPaths(deps: TokenBackendDeps, roles: RoleStore): PathDef<any>[] {
  async function create(req: LogicalRequest, d: CreateData, orphanPath: boolean, role?: TokenRole): Promise<LogicalResponse> {
    const { tokens } = deps;
    const warnings: string[] = [];
    const parent = await callerEntry(deps, req);
    if (!parent || parent.numUses < 0) throw new InvalidRequest('parent token lookup failed: no parent found');
    if (parent.type === 'batch') throw new InvalidRequest('batch tokens cannot create more tokens');
    if (parent.numUses > 0) throw new InvalidRequest('restricted use token cannot generate child tokens');
    const isSudo = await callerHasSudo(deps, req);

    const type = tokenTypeFor(d.type, role);
    let renewable = d.renewable;
    if (type === 'batch') {
      const bad = (d.explicit_max_ttl ?? 0) !== 0 ? 'explicit_max_ttl' : d.num_uses !== 0 ? 'num_uses' : (d.period ?? 0) !== 0 ? 'period' : '';
      if (bad) throw new InvalidRequest(`batch tokens cannot have "${bad}" set`);
      renewable = false;
    }
    if (d.num_uses < 0) throw new InvalidRequest('number of uses cannot be negative');
    if (d.entity_alias && !role) throw new InvalidRequest("'entity_alias' is only allowed in combination with token role");

    let numUses = d.num_uses;
    let tokenPath = `auth/token/${req.mountRelativePath}`;
    if (role) {
      if (renewable && !role.renewable) renewable = false;
      if (role.tokenNumUses !== 0 && (numUses === 0 || role.tokenNumUses < numUses)) numUses = role.tokenNumUses;
      if (role.pathSuffix) tokenPath = `${tokenPath}/${role.pathSuffix}`;
    }
    const displayName = d.display_name ? sanitizeDisplayName(d.display_name) : 'token';

    if (d.id !== undefined && d.id !== '') {
      if (!isSudo) throw new InvalidRequest('root or sudo privileges required to specify token id');
      validateCustomId(d.id);
    }

    const policies = resolveTokenPolicies({
      requested: d.policies ?? [],
      noDefaultPolicy: d.no_default_policy,
      role,
      parentPolicies: parent.policies,
      isSudo,
    });
    if (policies.includes('root')) {
      if (!parent.policies.includes('root')) throw new InvalidRequest('root tokens may not be created without parent token being root');
      if (type === 'batch') throw new InvalidRequest('batch tokens cannot be root tokens');
    }

    let parentId = parent.hashedId;
    let boundCidrs: string[] = [];
    if (role) {
      if (role.orphan) parentId = '';
      if (role.tokenBoundCidrs.length > 0) boundCidrs = role.tokenBoundCidrs;
    } else if (d.no_parent) {
      if (!isSudo) throw new InvalidRequest('root or sudo privileges required to create orphan token');
      parentId = '';
    } else if (orphanPath) {
      parentId = '';
    }
    const entityId = parentId !== '' ? parent.entityId : '';
    if (parentId !== '' && !role) boundCidrs = parent.boundCidrs;

    // TTLs: explicit max and period from the request, merged with the role's (the lesser wins).
    let explicitMaxTtl = d.explicit_max_ttl ?? 0;
    let period = d.period ?? 0;
    if (period > 0 && !isSudo) throw new InvalidRequest('root or sudo privileges required to create periodic token');
    const requestedTtl = d.ttl ?? d.lease ?? 0;
    if (role && type !== 'batch') {
      if (role.tokenExplicitMaxTtl !== 0) {
        if (explicitMaxTtl === 0) explicitMaxTtl = role.tokenExplicitMaxTtl;
        else {
          explicitMaxTtl = Math.min(explicitMaxTtl, role.tokenExplicitMaxTtl);
          warnings.push(`Explicit max TTL specified both during creation call and in role; using the lesser value of ${explicitMaxTtl} seconds`);
        }
      }
      if (role.tokenPeriod !== 0) {
        if (period === 0) period = role.tokenPeriod;
        else {
          period = Math.min(period, role.tokenPeriod);
          warnings.push(`Period specified both during creation call and in role; using the lesser value of ${period} seconds`);
        }
      }
    }

    const now = tokens.now();
    let ttl = requestedTtl;
    if (period > 0 || ttl > 0 || !policies.includes('root')) {
      const limits = ttlLimitsFor(deps);
      const result = calculateTtl({
        now, startTime: now, increment: 0, backendTtl: ttl, period, backendMaxTtl: 0, explicitMaxTtl,
        mountDefaultTtl: limits.defaultTtl, mountMaxTtl: limits.maxTtl,
      });
      ttl = result.ttl;
      warnings.push(...result.warnings);
    }
    if (ttl === 0 && explicitMaxTtl > 0) ttl = explicitMaxTtl; // root tokens still obey explicit_max_ttl
    if (ttl === 0) {
      if (parent.ttl !== 0 || parent.expireTime !== 0) {
        throw new InvalidRequest('expiring root tokens cannot create non-expiring root tokens');
      }
      renewable = false;
      boundCidrs = [];
    }

    const { id, entry } = await tokens.create({
      id: d.id || undefined,
      parent: parentId,
      policies,
      path: tokenPath,
      meta: d.meta,
      displayName,
      numUses,
      ttl,
      explicitMaxTtl,
      period,
      renewable,
      entityId,
      boundCidrs,
      noDefaultPolicy: d.no_default_policy || undefined,
      role: role?.name,
      authMount: req.mountAccessor || undefined,
      type,
    });
    if (entry.type === 'service') await deps.leases?.registerToken(entry);
    return {
      mintedAuth: authBlock(id, entry, remainingTtl(entry, tokens.now())),
      warnings: warnings.length > 0 ? warnings : undefined,
    };
  }

  return [
    path({
      pattern: 'create',
      fields: createFields,
      operations: {
        update: async (req, d) => {
          if (d.role_name) {
            const role = await roles.get(d.role_name);
            if (!role) throw new InvalidRequest('unknown role');
            return create(req, d, false, role);
          }
          return create(req, d, false);
        },
      },
      synopsis: 'Create a token (a child of the caller unless no_parent)',
    }),
    path({
      pattern: 'create-orphan',
      fields: createFields,
      operations: { update: (req, d) => create(req, d, true) },
      synopsis: 'Create an orphan token',
    }),
    path({
      pattern: 'create/:role_name',
      fields: createFields,
      operations: {
        update: async (req, d) => {
          const role = await roles.get(d.role_name ?? '');
          if (!role) throw new InvalidRequest('unknown role');
          return create(req, d, false, role);
        },
      },
      synopsis: 'Create a token against a role',
    }),
  ];
}
