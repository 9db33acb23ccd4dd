/**
 * When leases are due: a min-heap of (due time, lease id) behind one unref'd timer, so 100,000
 * leases cost 100,000 small heap entries and a single timer. Rescheduling a lease pushes a new
 * entry; the old one is skipped when it surfaces (the map holds each lease's current due time).
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Slot {
  at: number;
  id: string;
}

export interface ScheduleDeps {
  now: () => number;
  /** Called with the ids that are due, in due order, at most `batch` at a time. */
  onDue: (ids: string[]) => void;
  batch?: number;
}

export function createSchedule(deps: ScheduleDeps) {
  const batch = deps.batch ?? 1000;
  const heap: Slot[] = [];
  const current = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let armedAt = Infinity;
  let stopped = false;

  function less(a: Slot, b: Slot): boolean {
    return a.at < b.at;
  }

  function push(slot: Slot): void {
    heap.push(slot);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  function pop(): Slot | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }

  /** Drops stale heap entries at the top so heap[0] is live. */
  function settleTop(): void {
    while (heap.length > 0 && current.get(heap[0].id) !== heap[0].at) pop();
  }

  function compact(): void {
    if (heap.length < 1024 || heap.length < current.size * 2) return;
    const live = heap.filter((s) => current.get(s.id) === s.at);
    heap.length = 0;
    for (const s of live) push(s);
  }

  function arm(): void {
    if (stopped) return;
    settleTop();
    const next = heap[0]?.at ?? Infinity;
    if (timer && next >= armedAt) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    armedAt = Infinity;
    if (next === Infinity) return;
    armedAt = next;
    timer = setTimeout(fire, Math.min(Math.max(0, next - deps.now()), MAX_TIMER_MS));
    timer.unref();
  }

  function fire(): void {
    timer = undefined;
    armedAt = Infinity;
    if (stopped) return;
    const now = deps.now();
    const due: string[] = [];
    settleTop();
    while (heap.length > 0 && heap[0].at <= now && due.length < batch) {
      const slot = pop()!;
      if (current.get(slot.id) !== slot.at) continue;
      current.delete(slot.id);
      due.push(slot.id);
      settleTop();
    }
    if (due.length > 0) deps.onDue(due);
    arm();
  }

  return {
    /** Schedules (or reschedules) a lease; `at` is unix ms. */
    set(id: string, at: number): void {
      if (current.get(id) === at) return;
      current.set(id, at);
      push({ at, id });
      compact();
      arm();
    },
    /** Adds many without re-arming per item (restore). */
    setMany(items: Iterable<[string, number]>): void {
      for (const [id, at] of items) {
        current.set(id, at);
        push({ at, id });
      }
      compact();
      arm();
    },
    remove(id: string): void {
      current.delete(id);
    },
    has(id: string): boolean {
      return current.has(id);
    },
    get size(): number {
      return current.size;
    },
    /** Earliest live due time, for tests and diagnostics. */
    peek(): { id: string; at: number } | undefined {
      settleTop();
      return heap[0] ? { ...heap[0] } : undefined;
    },
    /** Fires now whatever is due (after a batch was handed out, more may be waiting). */
    kick(): void {
      if (timer) clearTimeout(timer);
      timer = undefined;
      armedAt = Infinity;
      queueMicrotask(fire);
    },
    isArmed(): boolean {
      return timer !== undefined;
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      heap.length = 0;
      current.clear();
    },
  };
}

export type Schedule = ReturnType<typeof createSchedule>;
