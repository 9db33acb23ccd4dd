/**
 * A bounded pool of long-lived handles (PKCS#11 sessions). At most `max` are open; callers
 * beyond that wait in order. A waiter can give up through its AbortSignal. `invalidate()`
 * forgets every idle handle (the device closed them) so the next acquire opens a fresh one;
 * `close()` closes idle handles, rejects waiters, and closes busy ones as they come back.
 */
import { SealedError } from '../../errors.js';

export interface SessionPool<H> {
  acquire(signal?: AbortSignal): Promise<H>;
  /** Return a handle; `broken` closes it instead of keeping it. */
  release(handle: H, broken?: boolean): void;
  invalidate(): void;
  close(): void;
  readonly open: number;
}

interface Waiter<H> {
  resolve(h: H): void;
  reject(err: unknown): void;
}

export function createSessionPool<H>(deps: { max: number; open: () => H; close: (h: H) => void }): SessionPool<H> {
  const idle: H[] = [];
  const waiters: Waiter<H>[] = [];
  let count = 0;
  let generation = 0;
  const born = new Map<H, number>();
  let closed = false;

  const closeQuietly = (h: H) => {
    born.delete(h);
    count--;
    try { deps.close(h); } catch { /* already gone on the device */ }
  };
  const openOne = (): H => {
    count++;
    try {
      const h = deps.open();
      born.set(h, generation);
      return h;
    } catch (err) {
      count--;
      throw err;
    }
  };

  return {
    get open() { return count; },
    async acquire(signal?: AbortSignal): Promise<H> {
      if (closed) throw new SealedError('pkcs11: the seal is closed');
      signal?.throwIfAborted();
      const ready = idle.pop();
      if (ready !== undefined) return ready;
      if (count < deps.max) return openOne();
      return new Promise<H>((resolve, reject) => {
        const waiter: Waiter<H> = {
          resolve: (h) => { signal?.removeEventListener('abort', onAbort); resolve(h); },
          reject: (err) => { signal?.removeEventListener('abort', onAbort); reject(err); },
        };
        const onAbort = () => {
          const at = waiters.indexOf(waiter);
          if (at !== -1) waiters.splice(at, 1);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(waiter);
      });
    },
    release(handle: H, broken = false): void {
      const stale = born.get(handle) !== generation;
      if (closed || broken || stale) {
        closeQuietly(handle);
        const next = waiters.shift();
        if (next) {
          if (closed) next.reject(new SealedError('pkcs11: the seal is closed'));
          else {
            try { next.resolve(openOne()); } catch (err) { next.reject(err); }
          }
        }
        return;
      }
      const next = waiters.shift();
      if (next) next.resolve(handle);
      else idle.push(handle);
    },
    invalidate(): void {
      generation++;
      while (idle.length > 0) closeQuietly(idle.pop()!);
    },
    close(): void {
      closed = true;
      while (idle.length > 0) closeQuietly(idle.pop()!);
      for (const w of waiters.splice(0)) w.reject(new SealedError('pkcs11: the seal is closed'));
    },
  };
}
