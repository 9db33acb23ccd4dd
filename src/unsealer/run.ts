/**
 * The two commands' bodies. `init`: initialise once (idempotent). `unseal`: optionally initialise,
 * then every --unseal-period check the seal status and unseal with stored shares; a server that is
 * down or a failing store is logged and retried next period, never a crash. --once: one pass,
 * exit 0 when the server ends up unsealed (or was), 1 otherwise.
 */
import { pause, type UnsealerContext } from './context.js';
import { initialize, InitRefused } from './init.js';
import { KeyStoreError } from './key-store.js';
import { failureReason, unreachable } from './target.js';
import { unsealPass, UnsealFailed } from './unseal.js';

function describe(err: unknown): string {
  if (err instanceof InitRefused || err instanceof UnsealFailed || err instanceof KeyStoreError) return err.message;
  return failureReason(err);
}

/** Initialises, waiting for an unreachable server; refusals and other failures end it. */
async function initWhenReachable(ctx: UnsealerContext, afterKeysStored?: () => Promise<void>): Promise<boolean> {
  for (;;) {
    try {
      await initialize(ctx, afterKeysStored ? { afterKeysStored } : {});
      return true;
    } catch (err) {
      if (!unreachable(err) || ctx.options.once) {
        ctx.log.log('error', `init failed: ${describe(err)}`);
        return false;
      }
      ctx.log.log('warn', `server not reachable, retrying init in ${ctx.options.unsealPeriodMs} ms: ${describe(err)}`);
    }
    await pause(ctx.options.unsealPeriodMs, ctx.signal);
    if (ctx.signal.aborted) return false;
  }
}

export async function runInit(ctx: UnsealerContext): Promise<number> {
  return (await initWhenReachable(ctx)) ? 0 : 1;
}

/**
 * One pass, logged. A failure that repeats the previous pass's is logged at debug level, so
 * a server that stays down for hours is one line, not one every period; recovery is logged.
 */
function passRunner(ctx: UnsealerContext): () => Promise<boolean> {
  let lastFailure: string | undefined;
  return async () => {
    try {
      await unsealPass(ctx);
      if (lastFailure !== undefined) ctx.log.log('info', 'unseal pass succeeded again');
      lastFailure = undefined;
      return true;
    } catch (err) {
      const line = `${unreachable(err) ? 'server not reachable' : 'unseal failed'}: ${describe(err)}`;
      const level = line === lastFailure ? 'debug' : unreachable(err) ? 'warn' : 'error';
      ctx.log.log(level, line === lastFailure ? `${line} (again)` : line);
      lastFailure = line;
      return false;
    }
  };
}

export async function runUnseal(ctx: UnsealerContext): Promise<number> {
  const { options } = ctx;
  const pass = passRunner(ctx);
  if (options.init) {
    // A Shamir server is unsealed right after its shares are stored, so that an
    // --init-root-token can be installed without waiting a period.
    const afterKeysStored = options.auto ? undefined : async () => { await pass(); };
    if (!(await initWhenReachable(ctx, afterKeysStored))) return 1;
  }
  if (options.auto) {
    if (options.once) return 0;
    ctx.log.log('info', 'auto-unseal: the server unseals itself; nothing more to do until stopped');
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return 0;
  }
  for (;;) {
    const ok = await pass();
    if (options.once) return ok ? 0 : 1;
    await pause(options.unsealPeriodMs, ctx.signal);
    if (ctx.signal.aborted) return 0;
  }
}
