/** Which backend types can be mounted, and how each is built. */
import type { BarrierStorage } from '../../barrier/types.js';
import type { Backend } from '../../framework/backend.js';
import { InvalidRequest } from '../../errors.js';
import type { MountEntry, MountTable } from './entry.js';

export interface SystemView {
  /** Effective TTLs for this mount (mount tune, else server defaults), seconds. */
  defaultLeaseTtl(): number;
  maxLeaseTtl(): number;
  /** Key material: system CSPRNG, mixed with the seal's RNG under entropy augmentation. */
  randomBytes(length: number): Promise<Buffer>;
}

export interface BackendContext {
  storage: BarrierStorage;
  mount: MountEntry;
  system: SystemView;
}

export type BackendFactory = (ctx: BackendContext) => Backend | Promise<Backend>;

export function createBackendRegistry() {
  const factories: Record<MountTable, Map<string, BackendFactory>> = { mounts: new Map(), auth: new Map() };
  return {
    register(table: MountTable, type: string, factory: BackendFactory): void {
      factories[table].set(type, factory);
    },
    get(table: MountTable, type: string): BackendFactory {
      const factory = factories[table].get(type);
      if (!factory) {
        const kind = table === 'auth' ? 'auth method' : 'secrets engine';
        throw new InvalidRequest(`plugin not found in the catalog: ${type} (unknown ${kind})`);
      }
      return factory;
    },
    has(table: MountTable, type: string): boolean {
      return factories[table].has(type);
    },
  };
}

export type BackendRegistry = ReturnType<typeof createBackendRegistry>;
