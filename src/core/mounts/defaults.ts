/** The mounts every server has, as in Vault. */
import { newMountEntry } from './manager.js';
import type { MountEntry } from './entry.js';

export function defaultMounts(): MountEntry[] {
  return [
    newMountEntry('mounts', 'sys/', 'system', { description: 'system endpoints used for control, policy and debugging' }),
    newMountEntry('mounts', 'cubbyhole/', 'cubbyhole', { description: 'per-token private secret storage', local: true }),
    newMountEntry('mounts', 'identity/', 'identity', { description: 'identity store' }),
    newMountEntry('auth', 'token/', 'token', {
      description: 'token based credentials',
      config: { defaultLeaseTtl: 0, maxLeaseTtl: 0, forceNoCache: false, tokenType: 'default-service' },
    }),
  ];
}
