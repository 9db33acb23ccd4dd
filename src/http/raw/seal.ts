/** sys/init, sys/seal-status, sys/unseal: the key ceremony over the wire. */
import { InvalidRequest } from '../../errors.js';
import { decodeKeyShare } from '../../core/share-collector.js';
import { coerceField } from '../../framework/fields.js';
import { sendJson } from '../respond.js';
import type { RawContext, RawRoutes } from './types.js';

function intField(body: Record<string, unknown>, name: string, fallback: number): number {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  return coerceField(name, { type: 'int' }, value) as number;
}

async function initStatus({ res, core }: RawContext): Promise<void> {
  sendJson(res, 200, { initialized: await core.initialized() });
}

async function initialize({ res, core, body }: RawContext): Promise<void> {
  const input = await body();
  const pgpKeys = input.pgp_keys;
  const result = await core.initialize({
    secretShares: intField(input, 'secret_shares', 0),
    secretThreshold: intField(input, 'secret_threshold', 0),
    recoveryShares: intField(input, 'recovery_shares', 5),
    recoveryThreshold: intField(input, 'recovery_threshold', 3),
    pgpKeys: Array.isArray(pgpKeys) ? pgpKeys.map(String) : undefined,
  });
  const out: Record<string, unknown> = {
    keys: result.keys.map((k) => k.toString('hex')),
    keys_base64: result.keys.map((k) => k.toString('base64')),
    root_token: result.rootToken,
  };
  if (result.recoveryKeys.length > 0) {
    out.recovery_keys = result.recoveryKeys.map((k) => k.toString('hex'));
    out.recovery_keys_base64 = result.recoveryKeys.map((k) => k.toString('base64'));
  }
  for (const key of [...result.keys, ...result.recoveryKeys]) key.fill(0);
  sendJson(res, 200, out);
}

async function sealStatus({ res, core }: RawContext): Promise<void> {
  sendJson(res, 200, await core.sealStatus());
}

async function unseal({ res, core, body }: RawContext): Promise<void> {
  const input = await body();
  const reset = input.reset === undefined ? false : (coerceField('reset', { type: 'bool' }, input.reset) as boolean);
  if (!(await core.initialized())) throw new InvalidRequest('Vault is not initialized');
  if (reset) {
    if (!core.sealed) throw new InvalidRequest('vault is unsealed');
    core.resetUnseal();
  } else {
    if (typeof input.key !== 'string' || input.key === '') {
      throw new InvalidRequest("'key' must be specified in request body as JSON, or 'reset' set to true");
    }
    const share = decodeKeyShare(input.key);
    const migrate = input.migrate === undefined ? false : (coerceField('migrate', { type: 'bool' }, input.migrate) as boolean);
    try {
      await core.submitUnsealShare(share, { migrate });
    } finally {
      share.fill(0);
    }
  }
  sendJson(res, 200, await core.sealStatus());
}

export const sealRoutes: RawRoutes = {
  'sys/init': { GET: initStatus, PUT: initialize, POST: initialize },
  'sys/seal-status': { GET: sealStatus },
  'sys/unseal': { PUT: unseal, POST: unseal },
};
