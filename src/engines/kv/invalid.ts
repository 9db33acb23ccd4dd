/** Anything on a KV v2 mount that is not a v2 endpoint: 404 with a hint, as Vault answers. */
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';

const ROOTS = new Set(['metadata', 'data', 'delete', 'undelete', 'destroy']);

const SUBCOMMAND: Partial<Record<LogicalRequest['operation'], string>> = {
  create: 'put', update: 'put', patch: 'patch', read: 'get', header: 'get', list: 'list', delete: 'delete',
};

export function invalidPathResponse(req: LogicalRequest): LogicalResponse {
  const relative = req.mountRelativePath;
  const warning = ROOTS.has(relative)
    ? 'Non-listing operations on the root of a K/V v2 mount are not supported.'
    : 'Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. '
      + `If using the Vault CLI, use 'vault kv ${SUBCOMMAND[req.operation] ?? 'get'}' for this operation.`;
  return { warnings: [warning], statusCode: 404 };
}

export function invalidPaths() {
  const handler = async (req: LogicalRequest): Promise<LogicalResponse> => invalidPathResponse(req);
  const operations = { read: handler, list: handler, update: handler, create: handler, patch: handler, delete: handler };
  return [
    path({ pattern: '', arbitraryData: true, operations }),
    path({ pattern: ':rest*', arbitraryData: true, operations }),
  ];
}
