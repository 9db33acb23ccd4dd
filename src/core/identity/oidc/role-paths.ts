/** identity/oidc/role/:name (create/update, read, delete) and its list. */
import { randomInt } from 'node:crypto';
import { InvalidRequest } from '../../../errors.js';
import { path, type PathDef } from '../../../framework/path.js';
import { DEFAULT_KEY_NAME, ensureDefaultKey, type OidcDeps } from './deps.js';
import { requireName } from './names.js';
import { ROLE_VERSION } from './store.js';
import { decodeTemplate, TemplateError, validateTemplate } from './template.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A generated client id: 26 random base62 characters, as Vault makes them. */
export function randomClientId(): string {
  let out = '';
  for (let i = 0; i < 26; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

const ROLE_FIELDS = {
  name: { type: 'string', description: 'Name of the role.' },
  key: { type: 'string', description: 'The named key that signs the tokens; it must exist (or be "default").' },
  template: { type: 'string', description: 'Claims template: JSON, or JSON in base64.' },
  ttl: { type: 'duration', description: 'TTL of the tokens (default 24h; at most the key\'s verification_ttl).' },
  client_id: { type: 'string', description: 'The aud claim; random when not set.' },
} as const;

export function rolePaths(deps: OidcDeps): PathDef<any>[] {
  const { oidc } = deps;
  return [
    path({
      pattern: 'oidc/role/:name',
      fields: ROLE_FIELDS,
      existenceCheck: async (req, d) => (await oidc.role(req.storage, d.name ?? '')) !== undefined,
      operations: {
        update: async (req, d) => {
          const name = requireName(d.name, 'role');
          await oidc.locked(async () => {
            const existing = await oidc.role(req.storage, name);
            const keyName = d.key ?? existing?.key ?? '';
            if (keyName === '') throw new InvalidRequest('the key parameter is required');
            if (keyName === DEFAULT_KEY_NAME) await ensureDefaultKey(deps, req.storage);
            const template = decodeTemplate(d.template ?? existing?.template ?? '');
            try {
              validateTemplate(template);
            } catch (err) {
              if (!(err instanceof TemplateError)) throw err;
              throw new InvalidRequest(err.message.startsWith('error parsing') || err.message.startsWith('top level') ? err.message : `error parsing template: ${err.message}`);
            }
            const ttl = d.ttl ?? existing?.ttl ?? 86400;
            const key = await oidc.key(req.storage, keyName);
            if (!key) throw new InvalidRequest(`cannot find key "${keyName}"`);
            if (ttl > key.verificationTtl) throw new InvalidRequest("a role's token ttl cannot be longer than the verification_ttl of the key it references");
            const clientId = (d.client_id ?? existing?.clientId ?? '') || randomClientId();
            await oidc.putRole(req.storage, name, { v: ROLE_VERSION, key: keyName, template, clientId, ttl });
          });
          return undefined;
        },
        read: async (req, d) => {
          const role = await oidc.role(req.storage, d.name ?? '');
          if (!role) return undefined;
          return { data: { client_id: role.clientId, key: role.key, template: role.template, ttl: role.ttl } };
        },
        delete: async (req, d) => {
          await oidc.locked(() => oidc.deleteRole(req.storage, d.name ?? ''));
          return undefined;
        },
      },
      synopsis: 'CRUD operations on OIDC Roles',
      description: 'Identity tokens are generated against roles: the key that signs them, their TTL, audience (client_id) and extra claims (template).',
    }),
    path({
      pattern: 'oidc/role/',
      operations: {
        list: async (req) => ({ data: { keys: (await oidc.listRoles(req.storage)).sort() } }),
      },
      synopsis: 'List configured OIDC roles',
    }),
  ];
}
