/**
 * Initialising a server and keeping what it returns, without ever destroying keys
 * (bank-vaults#235/#352/#852/#1052; SEALS.md §10 item 10):
 * - the server says it is initialised → nothing to do;
 * - the server is not initialised but the store already holds vault-root / vault-unseal-* /
 *   vault-recovery-* → refuse: the server lost its data or this is the wrong store, and a new
 *   init would bury keys that may still be needed;
 * - otherwise pre-flight the store, call sys/init (recovery_* for an auto seal), and store every
 *   share as soon as it arrives; a store write that fails is retried, never skipped silently.
 */
import { randomInt } from 'node:crypto';
import { ApiError, type Client } from '../cli/client.js';
import { pause, type UnsealerContext } from './context.js';
import { recoveryKeyName, ROOT_TOKEN_KEY, unsealKeyName } from './key-names.js';
import { KeyExistsError } from './key-store.js';
import { preflightCheck } from './preflight.js';
import { failureReason, sealStatus, type InitResponse } from './target.js';

/** Init was refused: the message says why and what to check. */
export class InitRefused extends Error {}

export type InitOutcome = 'initialized' | 'already-initialized';

const STORE_ATTEMPTS = 10;
const PREFLIGHT_ATTEMPTS = 5;
const NEVER = new AbortController().signal;

async function keysAlreadyStored(ctx: UnsealerContext): Promise<string[]> {
  const names = [ROOT_TOKEN_KEY];
  for (let i = 0; i <= ctx.options.secretShares; i++) names.push(unsealKeyName(i), recoveryKeyName(i));
  const present: string[] = [];
  for (const name of names) {
    const value = await ctx.store.get(name);
    if (value !== undefined) { present.push(name); value.fill(0); }
  }
  return present;
}

/** Stores one value, retrying a failing store; a key that exists already is never replaced. */
async function keep(ctx: UnsealerContext, name: string, value: string): Promise<void> {
  const bytes = new Uint8Array(Buffer.from(value, 'utf8'));
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await ctx.store.create(name, bytes);
        ctx.log.log('info', `stored ${name} in the key store`);
        return;
      } catch (err) {
        if (err instanceof KeyExistsError || attempt >= STORE_ATTEMPTS) throw err;
        ctx.log.log('error', `storing ${name} failed (attempt ${attempt} of ${STORE_ATTEMPTS}), retrying: ${(err as Error).message}`);
        // Not cut short by a stop: these shares exist nowhere else.
        await pause(Math.min(1000 * 2 ** (attempt - 1), 30_000), NEVER);
      }
    }
  } finally {
    bytes.fill(0);
  }
}

async function waitUnsealed(ctx: UnsealerContext): Promise<boolean> {
  for (;;) {
    try {
      if (!(await sealStatus(ctx.client)).sealed) return true;
      ctx.log.log('info', 'waiting for the server to be unsealed before creating the requested root token');
    } catch (err) {
      ctx.log.log('warn', `server not reachable while waiting to be unsealed: ${failureReason(err)}`);
    }
    if (ctx.signal.aborted) return false;
    await pause(ctx.options.unsealPeriodMs, ctx.signal);
  }
}

/** Bank-Vaults' --init-root-token: an orphan root token with the given id; the generated one is revoked. */
async function installRootToken(ctx: UnsealerContext, generated: string, id: string): Promise<void> {
  const client: Client = ctx.clientWithToken(generated);
  try {
    await client.post('auth/token/create-orphan', { id, policies: ['root'], display_name: 'root-token', no_parent: true });
    await client.post('auth/token/revoke-self');
  } finally {
    client.setToken(undefined);
  }
}

/** Another unsealer (or a person) may have initialised the server since we looked. */
async function initializedMeanwhile(ctx: UnsealerContext): Promise<boolean> {
  const now = await sealStatus(ctx.client).catch(() => undefined);
  if (now?.initialized) ctx.log.log('info', 'server was initialized by someone else meanwhile; nothing to do');
  return now?.initialized === true;
}

export interface InitHooks {
  /** Runs between storing the shares and the root token: `unseal --init` unseals here. */
  afterKeysStored?: () => Promise<void>;
}

export async function initialize(ctx: UnsealerContext, hooks: InitHooks = {}): Promise<InitOutcome> {
  const status = await sealStatus(ctx.client);
  if (status.initialized) {
    ctx.log.log('info', 'server is already initialized; nothing to do');
    return 'already-initialized';
  }
  const present = await keysAlreadyStored(ctx);
  if (present.length > 0) {
    if (await initializedMeanwhile(ctx)) return 'already-initialized';
    throw new InitRefused(
      `refusing to initialize ${ctx.client.address}: the server is NOT initialized, but ${ctx.store.description} already holds ${present.join(', ')}. ` +
      'Either the server lost its storage (data loss, or it now points at an empty database) or this is the wrong key store. ' +
      'Initializing now would put new keys beside (or over) keys that may still unseal the real data. ' +
      'Check the server\'s storage first; if the stored keys are truly obsolete, move them out of the store yourself and run again.',
    );
  }
  if (ctx.options.preFlightChecks) {
    // Unsealers sharing a store probe the same vault-test key: a collision is retried after a
    // random pause, by when the other one has usually initialised the server.
    for (let attempt = 1; ; attempt++) {
      try {
        await preflightCheck(ctx.store);
        break;
      } catch (err) {
        if (await initializedMeanwhile(ctx)) return 'already-initialized';
        if (attempt >= PREFLIGHT_ATTEMPTS) throw err;
        await pause(100 + randomInt(500), NEVER);
      }
    }
    ctx.log.log('info', `pre-flight check of the key store passed (${ctx.store.description})`);
  }
  const { secretShares: shares, secretThreshold: threshold } = ctx.options;
  const body = status.recovery_seal
    ? { recovery_shares: shares, recovery_threshold: threshold }
    : { secret_shares: shares, secret_threshold: threshold };
  ctx.log.log('info', status.recovery_seal
    ? `initializing ${ctx.client.address} (auto seal "${status.type}": ${shares} recovery key shares, threshold ${threshold})`
    : `initializing ${ctx.client.address} (${shares} unseal key shares, threshold ${threshold})`);
  let resp: InitResponse;
  try {
    resp = (await ctx.client.put('sys/init', body)).body as InitResponse;
  } catch (err) {
    // Another unsealer (or a person) initialised it between our check and our call.
    if (err instanceof ApiError && err.status === 400 && err.errors.some((e) => /already initialized/i.test(e)) && await initializedMeanwhile(ctx)) {
      return 'already-initialized';
    }
    throw err;
  }

  const failures: string[] = [];
  const tryKeep = async (name: string, value: string) => {
    try { await keep(ctx, name, value); } catch (err) {
      failures.push(name);
      ctx.log.log('error', `could not store ${name}: ${(err as Error).message}`);
    }
  };
  for (const [i, key] of (resp.keys ?? []).entries()) await tryKeep(unsealKeyName(i), key);
  for (const [i, key] of (resp.recovery_keys ?? []).entries()) await tryKeep(recoveryKeyName(i), key);
  if (failures.length > 0) {
    const missing = failures.join(', ');
    if (ctx.options.storeRootToken) await tryKeep(ROOT_TOKEN_KEY, resp.root_token);
    throw new Error(`the server was initialized but ${missing} could not be stored in ${ctx.store.description} (the values are never printed). ` +
      'If the stored shares still reach the threshold, rekey now to get a complete set; if not, keep the server unsealed and move its data off it');
  }

  await hooks.afterKeysStored?.();

  let rootToken = resp.root_token;
  if (ctx.options.initRootToken !== undefined) {
    if (await waitUnsealed(ctx)) {
      try {
        await installRootToken(ctx, resp.root_token, ctx.options.initRootToken);
        rootToken = ctx.options.initRootToken;
        ctx.log.log('info', 'created the requested root token and revoked the generated one');
      } catch (err) {
        // The server's message may quote the requested id: report the status only.
        const why = err instanceof ApiError ? `code ${err.status}` : failureReason(err);
        ctx.log.log('error', `could not create the requested root token (${why}); keeping the generated one`);
      }
    }
  }
  if (ctx.options.storeRootToken) {
    await tryKeep(ROOT_TOKEN_KEY, rootToken);
    if (failures.length > 0) throw new Error(`the server was initialized and its key shares stored, but ${ROOT_TOKEN_KEY} could not be stored; use generate-root with the stored keys for a new root token`);
  } else if (rootToken === resp.root_token) {
    ctx.log.log('warn', `the root token is not stored (--store-root-token=false) and is not printed; create one with "arca operator generate-root" and the stored key shares when needed`);
  }
  ctx.log.log('info', 'server initialized');
  return 'initialized';
}
