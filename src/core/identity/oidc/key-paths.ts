/** identity/oidc/key/:name (create/update, read, delete), its list and key/:name/rotate. */
import { InvalidRequest } from '../../../errors.js';
import { path, type PathDef } from '../../../framework/path.js';
import { oidcAlgorithm } from './algorithms.js';
import { DEFAULT_KEY_NAME, type OidcDeps } from './deps.js';
import { requireName } from './names.js';
import { createNamedKey, reconfigure, rotate } from './named-key.js';

const DAY = 86400;

const KEY_FIELDS = {
  name: { type: 'string', description: 'Name of the key.' },
  rotation_period: { type: 'duration', description: 'How often a new signing key is made (default 24h, at least 1m).' },
  verification_ttl: { type: 'duration', description: 'How long a rotated-out public key stays published for verification (default 24h).' },
  algorithm: { type: 'string', description: 'Signing algorithm: RS256 (default), RS384, RS512, ES256, ES384, ES512 or EdDSA.' },
  allowed_client_ids: { type: 'commaStringList', description: 'Client ids of roles allowed to sign with this key; "*" for all; empty for none.' },
} as const;

export function keyPaths(deps: OidcDeps): PathDef<any>[] {
  const { oidc } = deps;
  return [
    path({
      pattern: 'oidc/key/:name',
      fields: KEY_FIELDS,
      existenceCheck: async (req, d) => (await oidc.key(req.storage, d.name ?? '')) !== undefined,
      operations: {
        update: async (req, d) => {
          const name = requireName(d.name, 'key');
          await oidc.locked(async () => {
            const existing = await oidc.key(req.storage, name);
            const rotationPeriod = d.rotation_period ?? existing?.rotationPeriod ?? DAY;
            if (rotationPeriod < 60) throw new InvalidRequest('rotation_period must be at least one minute');
            const verificationTtl = d.verification_ttl ?? existing?.verificationTtl ?? DAY;
            if (verificationTtl > 10 * rotationPeriod) throw new InvalidRequest('verification_ttl cannot be longer than 10x rotation_period');
            if (existing) {
              const tooLong = (await oidc.roles(req.storage)).some(({ role }) => role.key === name && role.ttl > verificationTtl);
              if (tooLong) {
                throw new InvalidRequest(`unable to update key "${name}" because it is currently referenced by one or more roles with a token ttl greater than ${verificationTtl} seconds`);
              }
            }
            const algorithm = d.algorithm ?? existing?.algorithm ?? 'RS256';
            if (!oidcAlgorithm(algorithm)) throw new InvalidRequest(`unknown signing algorithm "${algorithm}"`);
            const settings = { algorithm, rotationPeriod, verificationTtl, allowedClientIds: d.allowed_client_ids ?? existing?.allowedClientIds ?? [] };
            const key = existing ? await reconfigure(existing, settings, deps.now()) : await createNamedKey(settings, deps.now());
            await oidc.putKey(req.storage, name, key);
          });
          return undefined;
        },
        read: async (req, d) => {
          const key = await oidc.key(req.storage, d.name ?? '');
          if (!key) return undefined;
          return {
            data: {
              algorithm: key.algorithm,
              allowed_client_ids: key.allowedClientIds,
              rotation_period: key.rotationPeriod,
              verification_ttl: key.verificationTtl,
            },
          };
        },
        delete: async (req, d) => {
          const name = d.name ?? '';
          if (name === DEFAULT_KEY_NAME) throw new InvalidRequest(`deletion of key "${DEFAULT_KEY_NAME}" not allowed`);
          await oidc.locked(async () => {
            const users = (await oidc.roles(req.storage)).filter(({ role }) => role.key === name).map((r) => r.name).sort();
            if (users.length > 0) {
              throw new InvalidRequest(`unable to delete key "${name}" because it is currently referenced by these roles: ${users.join(', ')}`);
            }
            await oidc.deleteKey(req.storage, name);
          });
          return undefined;
        },
      },
      synopsis: 'CRUD operations for OIDC keys.',
      description: 'Create, read, update and delete named keys that sign identity tokens.',
    }),
    path({
      pattern: 'oidc/key/',
      operations: {
        list: async (req) => ({ data: { keys: (await oidc.listKeys(req.storage)).sort() } }),
      },
      synopsis: 'List OIDC keys',
    }),
    path({
      pattern: 'oidc/key/:name/rotate',
      fields: {
        name: KEY_FIELDS.name,
        verification_ttl: { type: 'duration', description: "Overrides the key's verification_ttl for the key rotated out." },
      } as const,
      operations: {
        update: async (req, d) => {
          const name = d.name ?? '';
          await oidc.locked(async () => {
            const key = await oidc.key(req.storage, name);
            if (!key) throw new InvalidRequest(`no named key found at "${name}"`);
            const rotated = await rotate(key, deps.now(), { verificationTtlOverride: d.verification_ttl });
            await oidc.putKey(req.storage, name, rotated);
          });
          return undefined;
        },
      },
      synopsis: 'Rotate a named OIDC key.',
      description: 'The next key starts signing; the rotated-out public key stays published for verification_ttl.',
    }),
  ];
}
