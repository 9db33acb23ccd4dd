/**
 * One token as the seal uses it: the slot found by id or label, a bounded pool of RW sessions,
 * a single C_Login per module generation, and `withSession` which reopens once when the device
 * says the session or the module went away (in that order: session, login, module).
 *
 * A refused PIN is remembered and re-thrown without touching the device again: repeated wrong
 * PINs can lock or wipe a real HSM.
 */
import { ckrName, HsmError, hsmFailure, SESSION_LOST } from './errors.js';
import { acquireModule, pkcs11js, type Pkcs11Api, type Pkcs11Module } from './module.js';
import { createSessionPool, type SessionPool } from './session-pool.js';

export type Handle = Buffer;

/** CK_STATE values (PKCS#11 2.40 §5.7) for sessions of a logged-in user. */
const CKS_RO_USER_FUNCTIONS = 1;
const CKS_RW_USER_FUNCTIONS = 3;

export interface TokenOptions {
  lib: string;
  slot?: bigint;
  tokenLabel?: string;
  pin: string;
  maxParallel: number;
}

export interface Token {
  readonly api: Pkcs11Api;
  /** Runs `fn` with a logged-in session; retries once on a lost session. */
  withSession<T>(action: string, fn: (session: Handle) => T, signal?: AbortSignal): Promise<T>;
  /** Bumps when handles from before are void (module re-initialised). */
  readonly generation: number;
  close(): void;
}

function slotNumber(handle: Handle): bigint {
  return handle.length >= 8 ? handle.readBigUInt64LE(0) : BigInt(handle.readUInt32LE(0));
}

function trimLabel(label: string): string {
  return label.replace(/[\s\0]+$/, '');
}

export function openToken(options: TokenOptions): Token {
  const lib = pkcs11js();
  const mod: Pkcs11Module = acquireModule(options.lib);
  const api = mod.api;
  let pinError: HsmError | undefined;
  let generation = 0;
  let slot: Handle | undefined;

  const findSlot = (): Handle => {
    let slots: Handle[];
    try {
      slots = api.C_GetSlotList(true);
    } catch (err) {
      throw hsmFailure(err, 'C_GetSlotList');
    }
    for (const s of slots) {
      if (options.slot !== undefined && slotNumber(s) !== options.slot) continue;
      if (options.tokenLabel !== undefined) {
        let label: string;
        try {
          label = trimLabel(api.C_GetTokenInfo(s).label);
        } catch {
          continue;
        }
        if (label !== options.tokenLabel) continue;
      }
      return s;
    }
    const which = options.tokenLabel !== undefined ? `token_label "${options.tokenLabel}"` : `slot ${options.slot}`;
    throw new HsmError('token_absent', `pkcs11: no token present with ${which}`);
  };

  /**
   * Log in only when the session is not already in a user state: login is per application,
   * and a token logs out by itself when its last session closes.
   */
  const login = (session: Handle): void => {
    if (pinError) throw pinError;
    let state: number | undefined;
    try {
      state = api.C_GetSessionInfo(session).state;
    } catch {
      state = undefined;
    }
    if (state === CKS_RO_USER_FUNCTIONS || state === CKS_RW_USER_FUNCTIONS) return;
    try {
      api.C_Login(session, lib.CKU_USER, options.pin);
    } catch (err) {
      if (ckrName(err) !== 'CKR_USER_ALREADY_LOGGED_IN') {
        const mapped = hsmFailure(err, 'C_Login');
        if (mapped instanceof HsmError && mapped.fault === 'pin_incorrect') pinError = mapped;
        throw mapped;
      }
    }
  };

  const pool: SessionPool<Handle> = createSessionPool<Handle>({
    max: options.maxParallel,
    open: () => {
      if (pinError) throw pinError;
      slot ??= findSlot();
      let session: Handle;
      try {
        session = api.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
      } catch (err) {
        slot = undefined;
        throw hsmFailure(err, 'C_OpenSession');
      }
      try {
        login(session);
      } catch (err) {
        try { api.C_CloseSession(session); } catch { /* ignore */ }
        throw err;
      }
      return session;
    },
    close: (session) => api.C_CloseSession(session),
  });

  /** Forget sessions and login; re-initialise the module when it says so. */
  const recover = (name: string | undefined): void => {
    pool.invalidate();
    generation++;
    slot = undefined;
    if (name === 'CKR_CRYPTOKI_NOT_INITIALIZED' || name === 'CKR_DEVICE_REMOVED' || name === 'CKR_TOKEN_NOT_PRESENT') {
      mod.reinitialize();
    }
  };

  return {
    api,
    get generation() { return generation; },
    async withSession<T>(action: string, fn: (session: Handle) => T, signal?: AbortSignal): Promise<T> {
      if (pinError) throw pinError;
      for (let attempt = 0; ; attempt++) {
        let session: Handle;
        try {
          session = await pool.acquire(signal);
        } catch (err) {
          const name = ckrName((err as { cause?: unknown }).cause) ?? ckrName(err);
          if (attempt === 0 && name !== undefined && SESSION_LOST.has(name)) {
            recover(name);
            continue;
          }
          throw hsmFailure(err, action);
        }
        try {
          const result = fn(session);
          pool.release(session);
          return result;
        } catch (err) {
          const name = ckrName(err);
          if (name !== undefined && SESSION_LOST.has(name)) {
            pool.release(session, true);
            if (attempt === 0) {
              recover(name);
              continue;
            }
          } else {
            pool.release(session);
          }
          throw err;
        }
      }
    },
    close() {
      pool.close();
      mod.release();
    },
  };
}
