/**
 * Password policies: `sys/policies/password/:name` (write/read/delete the HCL), LIST
 * `sys/policies/password`, and `sys/policies/password/:name/generate` → `{password}`.
 */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { PasswordPolicyStore } from '../password-policy/store.js';
import type { SysContext } from './context.js';

const NAME_FIELD = { name: { type: 'string', required: true, description: 'Name of the password policy.' } } as const;

/** The group; empty when the server was composed without a password policy store. */
export function passwordPolicyPaths(ctx: SysContext) {
  return ctx.passwordPolicies ? passwordPolicyPathsFor(ctx.passwordPolicies) : { paths: [] };
}

export function passwordPolicyPathsFor(store: PasswordPolicyStore) {
  const list = async () => ({ data: { keys: await store.list() } });
  return {
    paths: [
      path({
        pattern: 'policies/password',
        synopsis: 'List the password policies.',
        operations: { list },
      }),
      path({
        pattern: 'policies/password/',
        synopsis: 'List the password policies.',
        operations: { list },
      }),
      path({
        pattern: 'policies/password/:name',
        synopsis: 'Read, write or delete a password policy.',
        fields: {
          ...NAME_FIELD,
          policy: { type: 'string', description: 'The policy in HCL or JSON, optionally base64-encoded.' },
        },
        operations: {
          async read(_req, data) {
            const text = await store.get(data.name);
            if (text === undefined) return undefined;
            return { data: { policy: text } };
          },
          async update(_req, data) {
            if (data.policy === undefined || data.policy === '') throw new InvalidRequest('missing policy');
            await store.put(data.name, data.policy);
            return undefined;
          },
          async delete(_req, data) {
            await store.delete(data.name);
            return undefined;
          },
        },
      }),
      path({
        pattern: 'policies/password/:name/generate',
        synopsis: 'Generate a password from a password policy.',
        fields: NAME_FIELD,
        operations: {
          async read(_req, data) {
            if ((await store.get(data.name)) === undefined) throw new InvalidRequest('policy does not exist');
            return { data: { password: await store.generate(data.name) } };
          },
        },
      }),
    ],
  };
}
