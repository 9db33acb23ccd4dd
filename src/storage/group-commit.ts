/**
 * Group commit: writes that arrive while the event loop is busy are queued and applied together,
 * in arrival order, in one transaction (one fsync) on the next turn of the loop. Each caller's
 * promise settles only after that transaction committed; if it fails, every write in it fails.
 */
import { StorageError } from '../errors.js';
import type { TxOperation } from './types.js';

export interface GroupCommitStats {
  /** Transactions committed. */
  commits: number;
  /** Operations those transactions carried. */
  operations: number;
}

export interface GroupCommit {
  /** Queues operations that must be applied atomically; resolves once committed. */
  submit(ops: readonly TxOperation[]): Promise<void>;
  /** Applies whatever is queued now (used by close). */
  flush(): void;
  stats(): GroupCommitStats;
}

interface Pending {
  ops: readonly TxOperation[];
  resolve: () => void;
  reject: (err: Error) => void;
}

/** `applyAll` must apply every batch in one transaction, or throw and apply none. */
export function createGroupCommit(applyAll: (batches: readonly (readonly TxOperation[])[]) => void): GroupCommit {
  let queue: Pending[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const counters: GroupCommitStats = { commits: 0, operations: 0 };

  function flush(): void {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      applyAll(batch.map((p) => p.ops));
    } catch (err) {
      const failure = new StorageError('storage write failed', { cause: err });
      for (const p of batch) p.reject(failure);
      return;
    }
    counters.commits += 1;
    for (const p of batch) {
      counters.operations += p.ops.length;
      p.resolve();
    }
  }

  return {
    submit(ops) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ ops, resolve, reject });
        scheduled ??= setImmediate(flush);
      });
    },
    flush,
    stats: () => ({ ...counters }),
  };
}
