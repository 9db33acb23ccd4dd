/** The unsealer's settings, checked once: flags (with their env fallbacks) → a typed object. */
import { FlagError, type FlagValues } from '../cli/flags.js';
import { parseDurationSeconds } from '../util/duration.js';
import type { UNSEAL_FLAGS } from './flags.js';

export type StoreMode = 'file' | 'hsm' | 'vault';
export const STORE_MODES: readonly StoreMode[] = ['file', 'hsm', 'vault'];

export interface FileStoreOptions { path: string }
export interface HsmStoreOptions {
  modulePath: string; slotId: number; tokenLabel?: string; pin: string; keyLabel: string;
  /** Encrypt with the public key on the host; default: only for OpenSC-driven devices. */
  encryptOnHost?: boolean;
}
export interface VaultStoreOptions { address: string; unsealKeysPath: string; token: string; caCertFile?: string; skipVerify: boolean }

export interface UnsealerOptions {
  mode: StoreMode;
  secretShares: number;
  secretThreshold: number;
  once: boolean;
  storeRootToken: boolean;
  preFlightChecks: boolean;
  initRootToken?: string;
  unsealPeriodMs: number;
  /** unseal: initialise first. */
  init: boolean;
  /** unseal: the server auto-unseals (init only, no unseal loop). */
  auto: boolean;
  file?: FileStoreOptions;
  hsm?: HsmStoreOptions;
  vault?: VaultStoreOptions;
}

/** "5s", "250ms", "1m", or plain seconds → milliseconds. */
export function parsePeriodMs(text: string): number | undefined {
  const ms = /^\s*(\d+)ms\s*$/.exec(text);
  if (ms) return Number(ms[1]);
  const seconds = parseDurationSeconds(text);
  return seconds === undefined ? undefined : seconds * 1000;
}

type Values = FlagValues<typeof UNSEAL_FLAGS>;

function required(value: string, flag: string, mode: string): string {
  if (value.trim() === '') throw new FlagError(`--${flag} is required with --mode=${mode}`);
  return value.trim();
}

/** `readToken` reads --vault-token-path (injected so this module stays free of I/O). */
export function resolveOptions(v: Values, readToken: (path: string) => string): UnsealerOptions {
  const mode = v.mode.trim();
  if (mode === '') throw new FlagError(`--mode is required: one of ${STORE_MODES.join(', ')}`);
  if (!STORE_MODES.includes(mode as StoreMode)) throw new FlagError(`unsupported --mode "${mode}": one of ${STORE_MODES.join(', ')}`);
  if (v['secret-shares'] < 1 || v['secret-shares'] > 255) throw new FlagError('--secret-shares must be between 1 and 255');
  if (v['secret-threshold'] < 1 || v['secret-threshold'] > v['secret-shares']) throw new FlagError('--secret-threshold must be between 1 and --secret-shares');
  const unsealPeriodMs = parsePeriodMs(v['unseal-period']);
  if (unsealPeriodMs === undefined || unsealPeriodMs <= 0) throw new FlagError(`invalid --unseal-period "${v['unseal-period']}": use a duration such as 5s`);
  const options: UnsealerOptions = {
    mode: mode as StoreMode,
    secretShares: v['secret-shares'],
    secretThreshold: v['secret-threshold'],
    once: v.once,
    storeRootToken: v['store-root-token'],
    preFlightChecks: v['pre-flight-checks'],
    unsealPeriodMs,
    init: v.init,
    auto: v.auto,
  };
  if (v['init-root-token'] !== '') options.initRootToken = v['init-root-token'];
  if (mode === 'file') options.file = { path: required(v['file-path'], 'file-path', mode) };
  if (mode === 'hsm') {
    if (v['hsm-slot-id'] < 0) throw new FlagError('--hsm-slot-id must not be negative');
    options.hsm = {
      modulePath: required(v['hsm-module-path'], 'hsm-module-path', mode),
      slotId: v['hsm-slot-id'],
      pin: required(v['hsm-pin'], 'hsm-pin', mode),
      keyLabel: required(v['hsm-key-label'], 'hsm-key-label', mode),
    };
    if (v['hsm-token-label'] !== '') options.hsm.tokenLabel = v['hsm-token-label'];
  }
  if (mode === 'vault') {
    let token = v['vault-token'].trim();
    if (token === '' && v['vault-token-path'] !== '') token = readToken(v['vault-token-path']).trim();
    if (token === '') throw new FlagError('--vault-token or --vault-token-path is required with --mode=vault');
    options.vault = {
      address: required(v['vault-addr'], 'vault-addr', mode),
      unsealKeysPath: required(v['vault-unseal-keys-path'], 'vault-unseal-keys-path', mode).replace(/^\/+|\/+$/g, ''),
      token,
      skipVerify: v['tls-skip-verify'],
    };
    if (v['ca-cert'] !== '') options.vault.caCertFile = v['ca-cert'];
  }
  return options;
}
