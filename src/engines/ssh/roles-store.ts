/** SSH CA roles in storage under `roles/<name>` as versioned JSON. */
import type { BarrierStorage } from '../../barrier/types.js';
import { InvalidRequest } from '../../errors.js';

export interface SshRole {
  key_type: 'ca';
  allowed_users: string;
  default_user: string;
  allowed_extensions: string;
  default_extensions: Record<string, string>;
  allowed_critical_options: string;
  default_critical_options: Record<string, string>;
  ttl: number;
  max_ttl: number;
  allow_user_certificates: boolean;
  allow_host_certificates: boolean;
  allowed_domains: string;
  allow_subdomains: boolean;
  allow_bare_domains: boolean;
  allow_user_key_ids: boolean;
  allow_empty_principals: boolean;
  key_id_format: string;
  algorithm_signer: string;
  not_before_duration: number;
  /** Minimum key size per subject key type (`rsa`, `ec`, `ed25519`); empty = any key. */
  allowed_user_key_lengths: Record<string, number>;
}

export const ROLE_PREFIX = 'roles/';

export function createRoleStore(storage: Pick<BarrierStorage, 'get' | 'put' | 'delete' | 'list'>) {
  const rolePath = (name: string) => {
    if (name === '' || name.includes('/')) throw new InvalidRequest('invalid role name');
    return ROLE_PREFIX + name;
  };
  return {
    async get(name: string): Promise<SshRole | undefined> {
      const raw = await storage.get(rolePath(name));
      if (!raw) return undefined;
      const { version, ...role } = JSON.parse(raw.toString('utf8')) as SshRole & { version: number };
      if (version !== 1) throw new Error('unsupported ssh role entry version');
      return role;
    },
    async put(name: string, role: SshRole): Promise<void> {
      await storage.put(rolePath(name), Buffer.from(JSON.stringify({ version: 1, ...role })));
    },
    delete: (name: string) => storage.delete(rolePath(name)),
    list: () => storage.list(ROLE_PREFIX),
  };
}

export type RoleStore = ReturnType<typeof createRoleStore>;
