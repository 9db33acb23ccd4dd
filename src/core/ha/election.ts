/**
 * Active/standby election over a storage HA lock. The holder renews well inside the TTL; a
 * holder that cannot renew in time demotes itself before the TTL can run out (its writes are
 * fenced by the storage anyway). A standby polls and takes over once the lock is free.
 */
import type { HALock } from '../../storage/types.js';

export interface ElectionOptions {
  lock: HALock;
  holderId: string;
  /** What other nodes read from the lock: this node's api/cluster addresses (JSON). */
  advertise: () => string;
  ttlMs: number;
  /** How often to renew (active) or try (standby). */
  intervalMs: number;
  /** After a step-down, wait this long before contending again. */
  stepDownWaitMs: number;
  onAcquire(generation: number): Promise<void>;
  onLose(reason: string): Promise<void>;
  /** After each attempt that left this node a standby (errors are the hook's own business). */
  onStandby?(): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  now?: () => number;
}

export function createElection(options: ElectionOptions) {
  const now = options.now ?? Date.now;
  let active = false;
  let generation: number | undefined;
  let renewedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pausedUntil = 0;
  let transition: Promise<void> = Promise.resolve();

  function serial(work: () => Promise<void>): Promise<void> {
    transition = transition.then(work, work);
    return transition;
  }

  async function lose(reason: string): Promise<void> {
    if (!active) return;
    active = false;
    generation = undefined;
    options.log('warn', `ha: lost the active role: ${reason}`);
    await options.onLose(reason);
  }

  async function tick(): Promise<void> {
    if (!running) return;
    // Demote before the TTL could expire, whether or not the database answers.
    if (active && now() - renewedAt > options.ttlMs - options.intervalMs) {
      await lose('could not renew the HA lock in time');
    }
    if (now() < pausedUntil) return;
    let got: number | undefined;
    try {
      got = await options.lock.tryLock(options.holderId, options.advertise(), options.ttlMs);
    } catch (err) {
      if (active) await lose(`HA lock renewal failed: ${(err as Error).message}`);
      return;
    }
    if (got === undefined) {
      if (active) await lose('another node holds the HA lock');
      return;
    }
    renewedAt = now();
    if (active && got === generation) return;
    if (active) await lose('the lock generation changed');
    options.log('info', `ha: acquired the active role (generation ${got})`);
    try {
      await options.onAcquire(got);
    } catch (err) {
      options.log('error', `ha: becoming active failed, stepping down: ${(err as Error).message}`);
      await options.lock.unlock(options.holderId).catch(() => {});
      await options.onLose('activation failed').catch(() => {});
      return;
    }
    // Only now: until everything is loaded the node keeps answering as a standby.
    active = true;
    generation = got;
  }

  async function round(): Promise<void> {
    await tick();
    if (running && !active) await options.onStandby?.().catch(() => {});
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      void serial(round).finally(schedule);
    }, options.intervalMs);
    timer.unref();
  }

  return {
    get active() { return active; },
    get generation() { return generation; },

    /** Starts contending; the first attempt runs at once. */
    start(): Promise<void> {
      if (running) return transition;
      running = true;
      const first = serial(round);
      void first.finally(schedule);
      return first;
    },

    /** Gives up the role on purpose and waits `stepDownWaitMs` before contending again. */
    stepDown(): Promise<void> {
      return serial(async () => {
        if (!active) return;
        pausedUntil = now() + options.stepDownWaitMs;
        await options.lock.unlock(options.holderId).catch(() => {});
        await lose('stepped down');
      });
    },

    /** Stops contending (seal, shutdown); releases the lock if held. */
    stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      return serial(async () => {
        if (active) {
          await options.lock.unlock(options.holderId).catch(() => {});
          await lose('node is sealing or shutting down');
        }
      });
    },
  };
}

export type Election = ReturnType<typeof createElection>;
