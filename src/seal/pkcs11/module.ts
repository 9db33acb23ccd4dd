/**
 * The PKCS#11 library, loaded and C_Initialize'd once per process per path (C_Initialize is
 * process-wide), reference-counted, C_Finalize'd when the last user releases it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Pkcs11Types from 'pkcs11js';
import { ckrName, HsmError, hsmFailure } from './errors.js';

export type Pkcs11Lib = typeof Pkcs11Types;
export type Pkcs11Api = Pkcs11Types.PKCS11;

const require = createRequire(import.meta.url);
let binding: Pkcs11Lib | undefined;

/** The pkcs11js binding (CommonJS), loaded on first use. */
export function pkcs11js(): Pkcs11Lib {
  binding ??= require('pkcs11js') as Pkcs11Lib;
  return binding;
}

export interface Pkcs11Module {
  readonly api: Pkcs11Api;
  readonly path: string;
  /** Bumps on every re-initialisation; object and session handles from older generations are void. */
  readonly generation: number;
  /** C_Finalize + C_Initialize (a token that comes back, CKR_CRYPTOKI_NOT_INITIALIZED). */
  reinitialize(): void;
  release(): void;
}

interface Loaded {
  api: Pkcs11Api;
  refs: number;
  generation: number;
}

const loaded = new Map<string, Loaded>();

function initialize(api: Pkcs11Api): void {
  try {
    api.C_Initialize();
  } catch (err) {
    if (ckrName(err) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') throw err;
  }
}

export function acquireModule(path: string): Pkcs11Module {
  let entry = loaded.get(path);
  if (!entry) {
    if (!existsSync(path)) throw new HsmError('library_missing', `pkcs11: library not found at ${path}`);
    const lib = pkcs11js();
    const api = new lib.PKCS11();
    try {
      api.load(path);
    } catch (err) {
      throw new HsmError('library_missing', `pkcs11: cannot load the library at ${path}: ${(err as Error).message.split('\n')[0].replace(path + ': ', '')}`, { cause: err });
    }
    try {
      initialize(api);
    } catch (err) {
      try { api.close(); } catch { /* ignore */ }
      throw hsmFailure(err, 'C_Initialize');
    }
    entry = { api, refs: 0, generation: 0 };
    loaded.set(path, entry);
  }
  entry.refs++;
  const e = entry;
  let released = false;
  return {
    api: e.api,
    path,
    get generation() { return e.generation; },
    reinitialize() {
      try { e.api.C_Finalize(); } catch { /* not initialised any more */ }
      try {
        initialize(e.api);
      } catch (err) {
        throw hsmFailure(err, 'C_Initialize');
      }
      e.generation++;
    },
    release() {
      if (released) return;
      released = true;
      if (--e.refs > 0) return;
      loaded.delete(path);
      try { e.api.C_Finalize(); } catch { /* ignore */ }
      try { e.api.close(); } catch { /* ignore */ }
    },
  };
}
