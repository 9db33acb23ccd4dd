/**
 * Group commit for audit lines: lines pushed while a write is in flight, or within the same
 * event-loop turn, go out in one write. Each caller's promise settles when the write holding
 * its line has been handed to the operating system (or has failed), so a request is only
 * acknowledged once its entry is written, as Vault does, without one write per request.
 */
export type FlushFn = (lines: string[]) => Promise<void>;

export function createBatcher(flush: FlushFn) {
  let pending: string[] = [];
  let waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  let scheduled = false;
  let writing = false;

  async function run(): Promise<void> {
    scheduled = false;
    if (writing || pending.length === 0) return;
    writing = true;
    const lines = pending;
    const batch = waiters;
    pending = [];
    waiters = [];
    try {
      await flush(lines);
      for (const w of batch) w.resolve();
    } catch (err) {
      for (const w of batch) w.reject(err as Error);
    } finally {
      writing = false;
      if (pending.length > 0) schedule();
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void run());
  }

  return {
    push(line: string): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        pending.push(line);
        waiters.push({ resolve, reject });
        if (!writing) schedule();
      });
    },
  };
}
