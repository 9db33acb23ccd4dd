/** sys/rotate, sys/key-status, sys/rotate/config: the barrier keyring. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import { formatDuration } from '../../util/duration.js';
import type { SysContext } from './context.js';

const MIN_OPERATIONS = 1_000_000;
const MAX_OPERATIONS = 3_865_470_566;
const MIN_INTERVAL_SECONDS = 24 * 3600;

export function keyringPaths(ctx: SysContext) {
  const barrier = () => ctx.core.barrier;
  return {
    rootPaths: ['rotate', 'rotate/config'],
    paths: [
      path({
        pattern: 'rotate',
        synopsis: 'Add a new term to the barrier keyring; old terms still decrypt.',
        operations: { update: async () => { await barrier().rotate(); } },
      }),
      path({
        pattern: 'key-status',
        synopsis: 'The active keyring term and when it was installed.',
        operations: {
          read: async () => {
            const status = barrier().keyStatus();
            return { data: { term: status.term, install_time: status.installTime.toISOString(), encryptions: status.encryptions } };
          },
        },
      }),
      path({
        pattern: 'rotate/config',
        synopsis: 'Automatic keyring rotation by operation count or age.',
        fields: {
          max_operations: { type: 'int' },
          interval: { type: 'duration' },
          enabled: { type: 'bool' },
        },
        operations: {
          read: async () => {
            const config = barrier().rotationConfig();
            return {
              data: {
                max_operations: config.maxOperations,
                interval: config.intervalMs > 0 ? formatDuration(config.intervalMs / 1000) : '0s',
                enabled: config.enabled,
              },
            };
          },
          update: async (_req, data) => {
            const current = barrier().rotationConfig();
            const maxOperations = data.max_operations ?? current.maxOperations;
            if (maxOperations < MIN_OPERATIONS || maxOperations > MAX_OPERATIONS) {
              throw new InvalidRequest(`max_operations must be between ${MIN_OPERATIONS} and ${MAX_OPERATIONS}`);
            }
            const intervalSeconds = data.interval ?? current.intervalMs / 1000;
            if (intervalSeconds !== 0 && intervalSeconds < MIN_INTERVAL_SECONDS) {
              throw new InvalidRequest('interval must be at least 24h');
            }
            await barrier().setRotationConfig({
              maxOperations,
              intervalMs: intervalSeconds * 1000,
              enabled: data.enabled ?? current.enabled,
            });
          },
        },
      }),
    ],
  };
}
