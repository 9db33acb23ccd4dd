/**
 * Which barrier paths are seal-wrapped: everything under the storage prefix of a mount tuned with
 * `seal_wrap=true`, and each mounted backend's `sealWrapStorage` patterns (relative to its
 * storage prefix; a trailing `*` is a prefix). Read from the live mount table on each write, so
 * mounts added later are covered.
 */
import { storagePrefix, type MountEntry, type MountTable } from '../core/mounts/entry.js';
import type { Backend } from '../framework/backend.js';

export interface LiveMountsView {
  list(table: MountTable): MountEntry[];
  find(table: MountTable, path: string): { dispatcher: { backend: Backend } } | undefined;
}

/** Whether one pattern (exact, or prefix with trailing `*`) matches a path relative to a mount. */
function matches(pattern: string, relative: string): boolean {
  return pattern.endsWith('*') ? relative.startsWith(pattern.slice(0, -1)) : relative === pattern;
}

export function sealWrapRule(mounts: () => LiveMountsView | undefined): (path: string) => boolean {
  return (path) => {
    const view = mounts();
    if (!view) return false;
    for (const table of ['mounts', 'auth'] as const) {
      for (const entry of view.list(table)) {
        const prefix = storagePrefix(entry);
        if (!path.startsWith(prefix)) continue;
        if (entry.sealWrap) return true;
        const patterns = view.find(table, entry.path)?.dispatcher.backend.sealWrapStorage ?? [];
        const relative = path.slice(prefix.length);
        return patterns.some((p) => matches(p, relative));
      }
    }
    return false;
  };
}
