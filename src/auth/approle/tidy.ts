/** auth/approle/tidy/secret-id: remove expired secret ids and accessor entries left dangling. */
import { path, type PathDef } from '../../framework/path.js';
import { isExpired, type AppRoleStore } from './store.js';

export async function tidySecretIds(store: AppRoleStore, nowMs: number): Promise<{ expired: number; danglingAccessors: number }> {
  let expired = 0;
  let danglingAccessors = 0;
  const live = new Set<string>();
  for (const roleDir of await store.listSecretIdRoles()) {
    const roleHmac = roleDir.replace(/\/$/, '');
    for (const secretHmac of await store.listSecretIds(roleHmac)) {
      const key = `secret_id/${roleHmac}/${secretHmac}`;
      const entry = await store.getSecretId(key);
      if (!entry) continue;
      if (isExpired(entry, nowMs)) {
        await store.deleteAccessor(entry.secret_id_accessor);
        await store.deleteSecretIdKey(key);
        expired++;
      } else {
        live.add(`${roleHmac}/${secretHmac}`);
      }
    }
  }
  for (const accessorKey of await store.listAccessorKeys()) {
    const index = await store.getAccessorByKey(accessorKey);
    if (!index || !live.has(`${index.role_name_hmac}/${index.secret_id_hmac}`)) {
      await store.deleteAccessorByKey(accessorKey);
      danglingAccessors++;
    }
  }
  return { expired, danglingAccessors };
}

export function tidyPaths(deps: { store: AppRoleStore; now?: () => number }): PathDef<any>[] {
  return [
    path({
      pattern: 'tidy/secret-id',
      operations: {
        update: async () => {
          const report = await tidySecretIds(deps.store, (deps.now ?? Date.now)());
          return {
            statusCode: 202,
            warnings: [
              "Tidy operation successfully started. Any information from the operation will be printed to Vault's server logs.",
              `tidy: removed ${report.expired} expired secret IDs and ${report.danglingAccessors} dangling accessor entries`,
            ],
          };
        },
      },
      synopsis: 'Trigger the clean-up of expired SecretID entries.',
    }),
  ];
}
