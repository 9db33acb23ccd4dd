/**
 * Seal wrapping: entries marked critical are encrypted by the seal (the HSM) and the result is
 * then encrypted by the barrier like any entry, so opening one needs both the barrier keyring
 * and the seal. A decorator over a SecurityBarrier:
 *
 *   stored value of a wrapped entry = SEAL_WRAP_MAGIC (4 bytes) || seal wrapper blob
 *   (the wrapper blob's AAD is the entry's full barrier path, so wrapped values cannot be moved)
 *
 * A critical path read without the magic is a plain value written before wrapping was on (it is
 * returned as is and wrapped on its next write). A value with the magic on a path that is not
 * critical any more is still unwrapped. With no wrapper (Shamir seal) nothing is wrapped.
 */
import type { BarrierStorage, SecurityBarrier } from './types.js';
import type { SealWrapper } from '../seal/types.js';

/** NUL, 'S', 'W', version 1: a JSON or text value never starts with NUL. */
export const SEAL_WRAP_MAGIC = Buffer.from([0x00, 0x53, 0x57, 0x01]);

export interface SealWrapOptions {
  /** The seal's wrapper when it supports seal wrapping (auto seals); undefined turns wrapping off. */
  wrapper(): SealWrapper | undefined;
  /** Whether the entry at this full barrier path is critical. */
  isCritical(path: string): boolean;
}

export function isSealWrapped(value: Uint8Array): boolean {
  // Byte by byte: this runs on every barrier read.
  return value.length > SEAL_WRAP_MAGIC.length && value[0] === SEAL_WRAP_MAGIC[0] && value[1] === SEAL_WRAP_MAGIC[1]
    && value[2] === SEAL_WRAP_MAGIC[2] && value[3] === SEAL_WRAP_MAGIC[3];
}

export function withSealWrap(barrier: SecurityBarrier, options: SealWrapOptions): SecurityBarrier {
  const aad = (path: string) => Buffer.from(`seal-wrap:${path}`, 'utf8');
  const get = async (path: string): Promise<Buffer | undefined> => {
    const value = await barrier.get(path);
    if (value === undefined || !isSealWrapped(value)) return value;
    const wrapper = options.wrapper();
    if (!wrapper) throw new Error('seal-wrapped entry found but the seal cannot unwrap (seal wrapping needs an auto seal)');
    return Buffer.from(await wrapper.decrypt(value.subarray(SEAL_WRAP_MAGIC.length), aad(path)));
  };
  const put = async (path: string, value: Buffer): Promise<void> => {
    const wrapper = options.isCritical(path) ? options.wrapper() : undefined;
    if (!wrapper) return barrier.put(path, value);
    const blob = await wrapper.encrypt(value, aad(path));
    return barrier.put(path, Buffer.concat([SEAL_WRAP_MAGIC, blob]));
  };
  const decorated: SecurityBarrier = Object.create(barrier) as SecurityBarrier;
  Object.defineProperty(decorated, 'sealed', { get: () => barrier.sealed });
  return Object.assign(decorated, {
    get,
    put,
    delete: (path: string) => barrier.delete(path),
    list: (prefix: string) => barrier.list(prefix),
    view(prefix: string): BarrierStorage {
      return {
        get: (key) => get(prefix + key),
        put: (key, value) => put(prefix + key, value),
        delete: (key) => barrier.delete(prefix + key),
        list: (p) => barrier.list(prefix + p),
      };
    },
    initialized: () => barrier.initialized(),
    initialize: (rootKey: Uint8Array) => barrier.initialize(rootKey),
    unseal: (rootKey: Uint8Array) => barrier.unseal(rootKey),
    reload: () => barrier.reload(),
    seal: () => barrier.seal(),
    rotate: () => barrier.rotate(),
    keyStatus: () => barrier.keyStatus(),
    rotationConfig: () => barrier.rotationConfig(),
    setRotationConfig: (c: Parameters<SecurityBarrier['setRotationConfig']>[0]) => barrier.setRotationConfig(c),
  });
}

/**
 * Critical-path rule from exact paths and prefixes (ending in `/`), as Vault's
 * `PathsSpecial.SealWrapStorage` declares them.
 */
export function sealWrapMatcher(paths: readonly string[]): (path: string) => boolean {
  const exact = new Set(paths.filter((p) => !p.endsWith('/')));
  const prefixes = paths.filter((p) => p.endsWith('/'));
  return (path) => exact.has(path) || prefixes.some((p) => path.startsWith(p));
}
