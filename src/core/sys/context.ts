/** What sys/ path groups may use. Composed once in the server's composition root. */
import type { Core } from '../core.js';
import type { MountManager } from '../mounts/manager.js';
import type { BackendRegistry } from '../mounts/registry.js';

export interface SysContext {
  core: Core;
  mounts: MountManager;
  registry: BackendRegistry;
  /** Steps down from active (HA); without HA it is a no-op. */
  stepDown?: () => Promise<void>;
}
