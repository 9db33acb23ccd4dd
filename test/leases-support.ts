/**
 * A tiny secrets engine for lease tests: `creds/:role` hands out a secret with a lease
 * (`?ttl=` seconds, `?renewable=false`), and revocations are recorded; the next
 * `failNext` revocations throw, as a flaky downstream system would.
 */
import { UpstreamError } from '../src/errors.js';
import type { Backend } from '../src/framework/backend.js';
import { path } from '../src/framework/path.js';
import { newMountEntry } from '../src/core/mounts/manager.js';
import type { ComposedServer } from '../src/server/compose.js';

export interface LeaseBackendState {
  issued: number;
  revoked: string[];
  revokeAttempts: number;
  failNext: number;
  renewed: string[];
}

export function leaseTestBackend(state: LeaseBackendState): Backend {
  return {
    paths: [
      path({
        pattern: 'creds/:role',
        fields: {
          role: { type: 'string', required: true },
          ttl: { type: 'duration', default: 0 },
          renewable: { type: 'bool', default: true },
        } as const,
        operations: {
          read: async (_req, data) => {
            const name = `${data.role}-${++state.issued}`;
            return {
              data: { username: name },
              secret: { ttlSeconds: data.ttl, renewable: data.renewable, internal: { name }, type: 'cred' },
            };
          },
        },
      }),
    ],
    secrets: {
      cred: {
        async revoke(_req, lease) {
          state.revokeAttempts++;
          if (state.failNext > 0) {
            state.failNext--;
            throw new UpstreamError('test downstream refused the revocation');
          }
          state.revoked.push(String(lease.internal.name));
        },
        async renew(_req, lease, increment) {
          state.renewed.push(String(lease.internal.name));
          return { ...lease, ttlSeconds: increment };
        },
      },
    },
  };
}

export function newLeaseState(): LeaseBackendState {
  return { issued: 0, revoked: [], revokeAttempts: 0, failNext: 0, renewed: [] };
}

/** Registers the `leasetest` type; call before unseal when the mount table already has it. */
export function registerLeaseBackend(composed: ComposedServer, state: LeaseBackendState): void {
  composed.registry.register('mounts', 'leasetest', () => leaseTestBackend(state));
}

export async function mountLeaseBackend(composed: ComposedServer, state: LeaseBackendState, at = 'leasetest/'): Promise<void> {
  registerLeaseBackend(composed, state);
  await composed.mounts.mount(newMountEntry('mounts', at, 'leasetest'));
}

export function waitFor(check: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = async () => {
      try {
        if (await check()) return resolve();
      } catch (err) {
        return reject(err as Error);
      }
      if (Date.now() - started > timeoutMs) return reject(new Error(`${what} not reached`));
      setTimeout(() => void tick(), 20);
    };
    void tick();
  });
}
