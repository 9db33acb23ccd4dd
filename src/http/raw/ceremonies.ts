/** sys/generate-root/*, sys/rekey/*, sys/rekey-recovery-key/*: quorum ceremonies over the wire. */
import { InvalidRequest } from '../../errors.js';
import { decodeKeyShare } from '../../core/share-collector.js';
import { coerceField } from '../../framework/fields.js';
import type { GenerateRoot } from '../../core/ceremony/generate-root.js';
import type { Rekey } from '../../core/ceremony/rekey.js';
import type { AttemptThrottle } from '../../core/ceremony/throttle.js';
import { sendEmpty, sendJson } from '../respond.js';
import type { RawContext, RawHandler, RawRoutes } from './types.js';

export interface Ceremonies {
  generateRoot: GenerateRoot;
  rekey: Rekey;
  rekeyRecovery: Rekey;
  throttle: AttemptThrottle;
}

function shareAndNonce(input: Record<string, unknown>): { share: Buffer; nonce: string } {
  if (typeof input.key !== 'string' || input.key === '') throw new InvalidRequest("'key' must be specified in request body as JSON");
  if (typeof input.nonce !== 'string' || input.nonce === '') throw new InvalidRequest("'nonce' must be specified in request body as JSON");
  return { share: decodeKeyShare(input.key), nonce: input.nonce };
}

/** Runs a share submission under the per-client throttle: bad submissions slow the client down. */
function throttled(throttle: AttemptThrottle, submit: (ctx: RawContext, input: Record<string, unknown>) => Promise<unknown>): RawHandler {
  return async (ctx) => {
    const client = ctx.req.socket.remoteAddress ?? 'unknown';
    throttle.check(client);
    const input = await ctx.body();
    try {
      const result = await submit(ctx, input);
      // Only a completed ceremony clears the record: accepted shares alone prove nothing.
      if ((result as { complete?: boolean }).complete === true) throttle.succeeded(client);
      sendJson(ctx.res, 200, result);
    } catch (err) {
      if (err instanceof InvalidRequest) throttle.failed(client);
      throw err;
    }
  };
}

function intInput(input: Record<string, unknown>, name: string): number {
  return coerceField(name, { type: 'int' }, input[name] ?? 0) as number;
}

function boolInput(input: Record<string, unknown>, name: string): boolean {
  return input[name] === undefined ? false : (coerceField(name, { type: 'bool' }, input[name]) as boolean);
}

function rekeyRoutes(prefix: string, rekey: Rekey, throttle: AttemptThrottle): RawRoutes {
  const start: RawHandler = async ({ res, body }) => {
    const input = await body();
    const pgp = input.pgp_keys;
    sendJson(res, 200, await rekey.start({
      shares: intInput(input, 'secret_shares'),
      threshold: intInput(input, 'secret_threshold'),
      requireVerification: boolInput(input, 'require_verification'),
      pgpKeys: Array.isArray(pgp) ? pgp.map(String) : undefined,
      backup: boolInput(input, 'backup'),
    }));
  };
  return {
    [`${prefix}/init`]: {
      GET: async ({ res }) => sendJson(res, 200, await rekey.status()),
      PUT: start,
      POST: start,
      DELETE: async ({ res }) => { rekey.cancel(); sendEmpty(res); },
    },
    [`${prefix}/update`]: Object.fromEntries(['PUT', 'POST'].map((m) => [m, throttled(throttle, async (_ctx, input) => {
      const { share, nonce } = shareAndNonce(input);
      try { return await rekey.update(share, nonce); } finally { share.fill(0); }
    })])),
    [`${prefix}/verify`]: {
      GET: async ({ res }) => sendJson(res, 200, rekey.verifyStatus()),
      DELETE: async ({ res }) => sendJson(res, 200, rekey.resetVerification()),
      ...Object.fromEntries(['PUT', 'POST'].map((m) => [m, throttled(throttle, async (_ctx, input) => {
        const { share, nonce } = shareAndNonce(input);
        try { return await rekey.verify(share, nonce); } finally { share.fill(0); }
      })])),
    },
  };
}

export function ceremonyRoutes(c: Ceremonies): RawRoutes {
  const startRoot: RawHandler = async ({ res, body }) => {
    const input = await body();
    sendJson(res, 200, await c.generateRoot.start({
      otp: typeof input.otp === 'string' ? input.otp : undefined,
      pgpKey: typeof input.pgp_key === 'string' ? input.pgp_key : undefined,
    }));
  };
  const updateRoot = throttled(c.throttle, async (_ctx, input) => {
    const { share, nonce } = shareAndNonce(input);
    try { return await c.generateRoot.update(share, nonce); } finally { share.fill(0); }
  });
  return {
    'sys/generate-root/attempt': {
      GET: async ({ res }) => sendJson(res, 200, await c.generateRoot.status()),
      PUT: startRoot,
      POST: startRoot,
      DELETE: async ({ res }) => { c.generateRoot.cancel(); sendEmpty(res); },
    },
    'sys/generate-root/update': { PUT: updateRoot, POST: updateRoot },
    ...rekeyRoutes('sys/rekey', c.rekey, c.throttle),
    ...rekeyRoutes('sys/rekey-recovery-key', c.rekeyRecovery, c.throttle),
  };
}
