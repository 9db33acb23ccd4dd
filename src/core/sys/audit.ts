/**
 * sys/audit (list), sys/audit/<path> (enable, disable) and sys/audit-hash/<path>: audit devices
 * as Vault manages them. All but audit-hash need sudo.
 */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { AuditBroker } from '../audit/broker.js';
import { stringOptions } from '../audit/options.js';
import type { SysContext } from './context.js';

export type AuditAdmin = Pick<AuditBroker, 'enable' | 'disable' | 'list' | 'hash'>;

export function auditPaths(ctx: SysContext) {
  const audit = ctx.audit;
  if (!audit) return { paths: [] };
  return {
    rootPaths: ['audit', 'audit/*'],
    paths: [
      path({
        pattern: 'audit',
        synopsis: 'List the enabled audit devices.',
        fields: {},
        operations: {
          read: async () => {
            const data: Record<string, unknown> = {};
            for (const e of audit.list()) {
              data[e.path] = { path: e.path, type: e.type, description: e.description, options: e.options, local: e.local };
            }
            return { data };
          },
        },
      }),
      path({
        pattern: 'audit/:path*',
        synopsis: 'Enable or disable an audit device.',
        fields: {
          path: { type: 'string', required: true },
          type: { type: 'string', default: '' },
          description: { type: 'string', default: '' },
          options: { type: 'map', default: {} },
          local: { type: 'bool', default: false },
        },
        operations: {
          update: async (_req, data) => {
            if (data.type === '') throw new InvalidRequest('audit device type is required');
            await audit.enable(data.path, {
              type: data.type, description: data.description, options: stringOptions(data.options), local: data.local,
            });
            return undefined;
          },
          delete: async (_req, data) => {
            await audit.disable(data.path);
            return undefined;
          },
        },
      }),
      path({
        pattern: 'audit-hash/:path*',
        synopsis: 'The HMAC an audit device writes for a given input.',
        fields: {
          path: { type: 'string', required: true },
          input: { type: 'string', default: '' },
        },
        operations: {
          update: async (_req, data) => {
            const hash = audit.hash(data.path, data.input);
            if (hash === undefined) throw new InvalidRequest('unknown audit backend');
            return { data: { hash } };
          },
        },
      }),
    ],
  };
}
