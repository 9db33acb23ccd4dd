import { kvVersionsCommand } from './kv-versions-command.js';

export const kvDestroyCommand = kvVersionsCommand('destroy', 'Permanently removes one or more versions in the KV store',
  'Permanently removes versions of a KV v2 secret; their data cannot be recovered.');
