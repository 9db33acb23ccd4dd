/** What the identity backend's paths use. */
import type { CallerIdentity } from '../../framework/logical.js';
import type { IdentityStore } from './store.js';
import type { MountLookup } from './types.js';

export interface IdentityBackendDeps {
  store: IdentityStore;
  mounts: MountLookup;
  /** Does the caller hold `operation` on `path` (a full logical path)? Root always does. */
  authorize(caller: CallerIdentity | undefined, path: string, operation: 'update' | 'read'): Promise<boolean>;
  /** The server's api_addr: the identity-token issuer when none is configured. */
  apiAddr?: () => string | undefined;
  /** Clock for identity tokens (milliseconds since the epoch); tests may pin it. */
  now?: () => number;
}
