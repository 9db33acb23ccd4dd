import { FIELD_FLAGS, HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, tooManyArgs } from '../command.js';
import type { Secret } from '../format.js';
import { parseMapFlag, parseSliceFlag } from '../map-flag.js';
import { printSecret } from '../output.js';

export const tokenCreateCommand = defineCommand({
  name: 'token create',
  synopsis: 'Create a new token',
  help: `Usage: arca token create [options]

  Creates a new token that can be used for authentication. The new token is a child of the
  authenticated token unless -orphan is given, and carries a subset of its policies.

      $ arca token create -policy=my-policy -ttl=1h`,
  flags: {
    ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS,
    id: { kind: 'string', usage: 'Value for the token (needs sudo).' },
    'display-name': { kind: 'string', usage: 'Name to associate with this token.' },
    ttl: { kind: 'string', usage: 'Initial TTL, e.g. "30s" or "5m".' },
    'explicit-max-ttl': { kind: 'string', usage: 'Hard limit on the token\'s lifetime.' },
    period: { kind: 'string', usage: 'Renewal period of a periodic token (needs sudo).' },
    renewable: { kind: 'bool', usage: 'Allow the token to be renewed up to its maximum TTL.', default: true },
    orphan: { kind: 'bool', usage: 'Create the token with no parent (needs sudo).' },
    'no-default-policy': { kind: 'bool', usage: 'Detach the "default" policy from the token.' },
    'use-limit': { kind: 'int', usage: 'Number of times the token can be used (0: unlimited).', default: 0 },
    role: { kind: 'string', usage: 'Create the token against this role (auth/token/create/<role>).' },
    type: { kind: 'string', usage: 'The type of token: "service" or "batch".' },
    metadata: { kind: 'strings', usage: 'A key=value metadata pair; may be repeated.' },
    policy: { kind: 'strings', usage: 'A policy to attach; may be repeated or comma-separated.' },
    'entity-alias': { kind: 'string', usage: 'Entity alias to associate with (with -role).' },
  },
  async run(ctx, flags, args, set) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    const format = formatFrom(ctx, flags, set);
    const renewable = flags.type === 'batch' ? false : flags.renewable;
    const body: Record<string, unknown> = { renewable };
    if (flags.id) body.id = flags.id;
    const policies = parseSliceFlag(flags.policy);
    if (policies.length > 0) body.policies = policies;
    const meta = parseMapFlag('metadata', flags.metadata);
    if (Object.keys(meta).length > 0) body.meta = meta;
    if (flags.orphan) body.no_parent = true;
    if (flags['no-default-policy']) body.no_default_policy = true;
    if (flags.ttl) body.ttl = flags.ttl;
    if (flags['explicit-max-ttl']) body.explicit_max_ttl = flags['explicit-max-ttl'];
    if (flags.period) body.period = flags.period;
    if (flags['display-name']) body.display_name = flags['display-name'];
    if (flags['use-limit']) body.num_uses = flags['use-limit'];
    if (flags.type) body.type = flags.type;
    if (flags['entity-alias']) body.entity_alias = flags['entity-alias'];
    const path = flags.role ? `auth/token/create/${encodeURIComponent(flags.role)}` : 'auth/token/create';
    let secret: Secret;
    try { secret = (await clientFrom(ctx, flags).post(path, body)).body as Secret; } catch (err) {
      return apiFailure(ctx, 'Error creating token', err);
    }
    return printSecret(ctx, secret, format, flags.field);
  },
});
