/** LIST sys/version-history: the Arca versions that have run against this storage, oldest first. */
import { path } from '../../framework/path.js';
import { readVersionHistory } from '../version-history.js';
import type { SysContext } from './context.js';

export function versionHistoryPaths(ctx: SysContext) {
  const list = async () => {
    const entries = await readVersionHistory(ctx.core.barrier);
    const keyInfo: Record<string, unknown> = {};
    entries.forEach((entry, index) => {
      keyInfo[entry.version] = {
        build_date: entry.buildDate || null,
        previous_version: index > 0 ? entries[index - 1].version : null,
        timestamp_installed: entry.timestampInstalled,
      };
    });
    return { data: { keys: entries.map((e) => e.version), key_info: keyInfo } };
  };
  return {
    paths: ['version-history', 'version-history/'].map((pattern) => path({
      pattern,
      synopsis: 'The versions that have run against this storage, in installation order.',
      operations: { list },
    })),
  };
}
