import { kvVersionsCommand } from './kv-versions-command.js';

export const kvUndeleteCommand = kvVersionsCommand('undelete', 'Undeletes versions in the KV store',
  'Restores soft-deleted versions of a KV v2 secret.');
