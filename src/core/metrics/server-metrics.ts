/**
 * The server's metrics, named once, and the wrappers the composition root puts around
 * storage, the barrier, the seal and the request pipeline, so no module has to call metrics
 * itself. Names follow Vault's (vault.core.handle_request → arca_core_handle_request_seconds).
 */
import { isArcaError } from '../../errors.js';
import type { Storage } from '../../storage/types.js';
import type { SecurityBarrier } from '../../barrier/types.js';
import type { Seal } from '../../seal/types.js';
import { createMetricsRegistry, type MetricsRegistry } from './registry.js';

const STORAGE_OPS = new Set(['get', 'put', 'delete', 'list', 'transaction']);

export function createServerMetrics(registry: MetricsRegistry = createMetricsRegistry()) {
  return {
    registry,
    requests: registry.counter('core_handle_request_total', 'Requests handled, by mount, operation and status code.'),
    requestSeconds: registry.histogram('core_handle_request_seconds', 'Request latency, by mount and operation.'),
    unsealed: registry.gauge('core_unsealed', '1 when the barrier is unsealed, 0 when sealed.'),
    unseals: registry.counter('core_unseal_total', 'Times the core was unsealed (or became active).'),
    seals: registry.counter('core_seal_total', 'Times the core was sealed (or stepped down).'),
    tokens: registry.gauge('token_count', 'Tokens in the token store.'),
    leases: registry.gauge('expire_num_leases', 'Leases tracked by the expiration manager.'),
    barrier: registry.counter('barrier_operations_total', 'Barrier reads and writes, by operation.'),
    barrierSeconds: registry.histogram('barrier_seconds', 'Barrier operation latency (encryption included), by operation.'),
    sealCalls: registry.counter('seal_operations_total', 'Calls into the seal (HSM/KMS/Shamir), by operation and result.'),
    sealSeconds: registry.histogram('seal_seconds', 'Seal call latency, by operation.'),
    auditFailures: registry.counter('audit_log_failure_total', 'Audit entries a device failed to write, by device and entry type.'),
    standbyRequests: registry.counter('ha_standby_requests_total', 'API requests that reached this node as an HA standby, by how they were served (local, forwarded).'),
    storageSeconds: registry.histogram('storage_seconds', 'Physical storage latency, by backend and operation.'),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;

function elapsedSeconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Times every call of the named methods, keeping every other property (optional abilities such as
 * transactions or HA locks stay visible to type guards).
 */
function timeMethods<T extends object>(target: T, methods: ReadonlySet<string>, record: (op: string, seconds: number, ok: boolean) => void): T {
  return new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop);
      if (typeof prop !== 'string' || typeof value !== 'function' || !methods.has(prop)) {
        return typeof value === 'function' ? value.bind(obj) : value;
      }
      return (...args: unknown[]) => {
        const start = process.hrtime.bigint();
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        } catch (err) {
          record(prop, elapsedSeconds(start), false);
          throw err;
        }
        if (result instanceof Promise) {
          return result.then(
            (v) => { record(prop, elapsedSeconds(start), true); return v; },
            (err) => { record(prop, elapsedSeconds(start), false); throw err; },
          );
        }
        record(prop, elapsedSeconds(start), true);
        return result;
      };
    },
  });
}

export function instrumentStorage<S extends Storage>(storage: S, metrics: ServerMetrics, backend: string): S {
  return timeMethods(storage, STORAGE_OPS, (op, seconds) => metrics.storageSeconds.observe(seconds, { backend, op }));
}

/** Wrap the barrier below any cache, so the counts are real decryptions and encryptions. */
export function instrumentBarrier<B extends SecurityBarrier>(barrier: B, metrics: ServerMetrics): B {
  return timeMethods(barrier, STORAGE_OPS, (op, seconds) => {
    metrics.barrier.inc({ op });
    metrics.barrierSeconds.observe(seconds, { op });
  });
}

const SEAL_OPS = new Set(['init', 'random']);

/** Counts and times calls into the seal and into its wrapper (HSM/KMS round trips). */
export function instrumentSeal<S extends Seal>(seal: S, metrics: ServerMetrics): S {
  const record = (op: string, seconds: number, ok: boolean) => {
    metrics.sealCalls.inc({ op, result: ok ? 'ok' : 'error' });
    metrics.sealSeconds.observe(seconds, { op });
  };
  const inner = timeMethods(seal, SEAL_OPS, record);
  return new Proxy(inner, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop);
      if (prop !== 'wrapper' || typeof value !== 'function') return value;
      return () => timeMethods((value as () => object)(), new Set(['encrypt', 'decrypt']), record);
    },
  });
}

interface ResponseShape {
  raw?: { status: number };
  statusCode?: number;
  data?: Record<string, unknown> | null;
  secret?: unknown;
  mintedAuth?: unknown;
  wrapInfo?: unknown;
}

/** The status http/ will answer with (an empty read or list is a 404 there). */
function statusOf(operation: string, response: ResponseShape | undefined): string {
  if (response?.raw) return String(response.raw.status);
  if (response?.statusCode) return String(response.statusCode);
  const empty = !response || (!response.data && !response.secret && !response.mintedAuth && !response.wrapInfo);
  const readLike = operation === 'read' || operation === 'list' || operation === 'header';
  const emptyList = operation === 'list' && Array.isArray(response?.data?.keys) && (response.data.keys as unknown[]).length === 0;
  if ((readLike && empty) || emptyList) return '404';
  return empty ? '204' : '200';
}

/** Request counts (by status code) and latency by mount and operation around the pipeline's `handle`. */
export function instrumentPipeline<P extends { handle(req: { path: string; operation: string }, options?: never): Promise<unknown> }>(
  pipeline: P,
  mountOf: (path: string) => string | undefined,
  metrics: ServerMetrics,
): P {
  // The series of each (mount, operation[, code]) seen, so a request does not build label keys.
  const counts = new Map<string, { inc(): void }>();
  const latencies = new Map<string, { observe(seconds: number): void }>();
  function record(mount: string, operation: string, code: string, seconds: number): void {
    const key = `${mount}\n${operation}`;
    const countKey = `${key}\n${code}`;
    let count = counts.get(countKey);
    if (!count) counts.set(countKey, count = metrics.requests.series({ mount, operation, code }));
    let latency = latencies.get(key);
    if (!latency) latencies.set(key, latency = metrics.requestSeconds.series({ mount, operation }));
    count.inc();
    latency.observe(seconds);
  }
  return {
    ...pipeline,
    async handle(req: { path: string; operation: string }, options?: never) {
      const start = process.hrtime.bigint();
      const mount = mountOf(req.path) ?? 'none';
      let code = '200';
      try {
        const response = await pipeline.handle(req, options);
        code = statusOf(req.operation, response as ResponseShape | undefined);
        return response;
      } catch (err) {
        code = String(isArcaError(err) ? err.status : 500);
        throw err;
      } finally {
        record(mount, req.operation, code, elapsedSeconds(start));
      }
    },
  } as P;
}
