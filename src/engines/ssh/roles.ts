/** roles/ and roles/:name — CA roles (key_type=ca) that decide what sign/ and issue/ may do. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { SshDeps } from './deps.js';
import type { SshRole } from './roles-store.js';

const SIGNERS = ['', 'default', 'rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa'] as const;

const fields = {
  name: { type: 'string', required: true },
  key_type: { type: 'string' },
  allowed_users: { type: 'string', default: '' },
  default_user: { type: 'string', default: '' },
  allowed_extensions: { type: 'string', default: '' },
  default_extensions: { type: 'keyPairs', default: {} },
  allowed_critical_options: { type: 'string', default: '' },
  default_critical_options: { type: 'keyPairs', default: {} },
  ttl: { type: 'duration', default: 0 },
  max_ttl: { type: 'duration', default: 0 },
  allow_user_certificates: { type: 'bool', default: false },
  allow_host_certificates: { type: 'bool', default: false },
  allowed_domains: { type: 'string', default: '' },
  allow_subdomains: { type: 'bool', default: false },
  allow_bare_domains: { type: 'bool', default: false },
  allow_user_key_ids: { type: 'bool', default: false },
  allow_empty_principals: { type: 'bool', default: false },
  key_id_format: { type: 'string', default: '' },
  algorithm_signer: { type: 'string', default: 'default', oneOf: SIGNERS },
  not_before_duration: { type: 'duration', default: 30 },
  allowed_user_key_lengths: { type: 'map', default: {} },
} as const;

export function rolesPaths(deps: SshDeps) {
  return [
    path({
      pattern: 'roles/',
      synopsis: 'List the existing roles in this backend.',
      operations: {
        list: async () => {
          const keys = await deps.roles.list();
          return { data: { keys, key_info: Object.fromEntries(keys.map((k) => [k, { key_type: 'ca' }])) } };
        },
      },
    }),
    path({
      pattern: 'roles/:name',
      fields,
      synopsis: 'Manage the roles that can be used to sign SSH certificates.',
      existenceCheck: async (_req, data) => (await deps.roles.get(data.name)) !== undefined,
      operations: {
        read: async (_req, data) => {
          const role = await deps.roles.get(data.name);
          return role ? { data: { ...role } } : undefined;
        },
        delete: async (_req, data) => {
          await deps.roles.delete(data.name);
        },
        update: async (_req, data) => {
          if (data.key_type === undefined || data.key_type === '') throw new InvalidRequest('missing key_type');
          if (data.key_type !== 'ca') throw new InvalidRequest('only key_type "ca" is supported');
          if (data.max_ttl > 0 && data.ttl > data.max_ttl) throw new InvalidRequest('ttl cannot be greater than max_ttl');
          const lengths: Record<string, number> = {};
          for (const [type, bits] of Object.entries(data.allowed_user_key_lengths)) {
            const alias = ({ 'ssh-rsa': 'rsa', ecdsa: 'ec', 'ssh-ed25519': 'ed25519' } as Record<string, string>)[type] ?? type;
            const n = typeof bits === 'string' ? Number(bits) : bits;
            if (!['rsa', 'ec', 'ed25519'].includes(alias) || typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
              throw new InvalidRequest('allowed_user_key_lengths maps rsa, ec or ed25519 to a minimum number of bits');
            }
            lengths[alias] = n;
          }
          const role: SshRole = {
            key_type: 'ca',
            allowed_users: data.allowed_users,
            default_user: data.default_user,
            allowed_extensions: data.allowed_extensions,
            default_extensions: data.default_extensions,
            allowed_critical_options: data.allowed_critical_options,
            default_critical_options: data.default_critical_options,
            ttl: data.ttl,
            max_ttl: data.max_ttl,
            allow_user_certificates: data.allow_user_certificates,
            allow_host_certificates: data.allow_host_certificates,
            allowed_domains: data.allowed_domains,
            allow_subdomains: data.allow_subdomains,
            allow_bare_domains: data.allow_bare_domains,
            allow_user_key_ids: data.allow_user_key_ids,
            allow_empty_principals: data.allow_empty_principals,
            key_id_format: data.key_id_format,
            algorithm_signer: data.algorithm_signer === '' ? 'default' : data.algorithm_signer,
            not_before_duration: data.not_before_duration,
            allowed_user_key_lengths: lengths,
          };
          await deps.roles.put(data.name, role);
          return undefined;
        },
      },
    }),
  ];
}
