/**
 * One unseal pass: read sys/seal-status; when the server is sealed, clear a partial attempt left
 * by someone else, then send stored shares until it unseals. Log lines name keys, never values.
 */
import { ApiError } from '../cli/client.js';
import type { UnsealerContext } from './context.js';
import { unsealKeyName } from './key-names.js';
import { sealStatus, type SealStatus } from './target.js';

export type UnsealOutcome = 'unsealed' | 'already-unsealed';

/** A pass that could not unseal; the message says why (never a key). */
export class UnsealFailed extends Error {}

export async function unsealPass(ctx: UnsealerContext): Promise<UnsealOutcome> {
  let status = await sealStatus(ctx.client);
  if (!status.initialized) throw new UnsealFailed('server is not initialized; run "arca unsealer init" or "arca unsealer unseal --init"');
  if (!status.sealed) {
    ctx.log.log('debug', 'server is unsealed');
    return 'already-unsealed';
  }
  if (status.migration) throw new UnsealFailed('server is sealed with a seal migration pending; unseal it with "arca operator unseal -migrate"');
  if (status.recovery_seal) throw new UnsealFailed(`server uses an auto seal ("${status.type}") and unseals itself; run the unsealer with --auto`);
  ctx.log.log('info', 'server is sealed, unsealing');
  if (status.progress > 0) {
    ctx.log.log('warn', `a partial unseal attempt (${status.progress}/${status.t} shares) is pending; resetting it`);
    status = (await ctx.client.put('sys/unseal', { reset: true })).body as SealStatus;
    if (!status.sealed) return 'unsealed';
  }
  const limit = Math.max(status.n, status.t);
  for (let i = 0; i < limit; i++) {
    const name = unsealKeyName(i);
    const key = await ctx.store.get(name);
    if (key === undefined) {
      throw new UnsealFailed(`${ctx.store.description} holds no ${name}; ${i} share(s) sent, the server needs ${status.t}`);
    }
    const text = Buffer.from(key).toString('utf8').trim();
    key.fill(0);
    try {
      status = (await ctx.client.put('sys/unseal', { key: text })).body as SealStatus;
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        throw new UnsealFailed(`the server rejected the stored shares (${err.errors.join('; ')}): they do not belong to this server (wrong key store?)`);
      }
      throw err;
    }
    ctx.log.log('info', `sent ${name} (progress ${status.sealed ? `${status.progress}/${status.t}` : 'complete'})`);
    if (!status.sealed) {
      ctx.log.log('info', 'server unsealed');
      return 'unsealed';
    }
    if (status.progress === 0) throw new UnsealFailed('unseal progress went back to 0: the stored shares do not belong to this server (wrong key store?)');
  }
  throw new UnsealFailed(`server is still sealed after ${limit} stored shares`);
}
