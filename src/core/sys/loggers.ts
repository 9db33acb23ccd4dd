/**
 * sys/loggers and sys/loggers/:name: read and change the log level at runtime, or revert it to
 * the configured level. Arca has one logger, named `core`; other names are refused (Vault has a
 * logger per subsystem). Changes are not persisted: a restart (or a SIGHUP that rereads the
 * config) sets the configured level again.
 */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { Level, Logger } from '../../util/log.js';
import type { SysContext } from './context.js';

export const SERVER_LOGGER_NAME = 'core';

/** Vault's level names and their aliases (hclog's parser), as Arca levels. */
const LEVELS: Readonly<Record<string, Level>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  err: 'error',
  error: 'error',
};

export function parseLevel(raw: string | undefined): Level {
  if (raw === undefined) throw new InvalidRequest('level is required');
  if (raw === '') throw new InvalidRequest('level is empty');
  const level = LEVELS[raw.trim().toLowerCase()];
  if (level === undefined) throw new InvalidRequest(`invalid level provided: unknown log level "${raw}"; use trace, debug, info, warn or error`);
  return level;
}

export interface LoggerDeps {
  logger: Pick<Logger, 'level' | 'setLevel'>;
  /** The level from the configuration, restored by DELETE. */
  configuredLevel: () => Level;
}

/** The group; empty when the server was composed without its logger. */
export function loggerPaths(ctx: SysContext) {
  const { logger, config } = ctx;
  if (!logger) return { paths: [] };
  return loggerPathsFor({ logger, configuredLevel: () => config?.logLevel ?? 'info' });
}

export function loggerPathsFor(deps: LoggerDeps) {
  const { logger } = deps;
  const checkName = (name: string): void => {
    if (name === '') throw new InvalidRequest('name is empty');
    if (name !== SERVER_LOGGER_NAME) throw new InvalidRequest(`logger "${name}" not found`);
  };
  const levelField = { level: { type: 'string', description: 'trace, debug, info, warn or error.' } } as const;
  const nameField = { name: { type: 'string', required: true, description: `The logger (Arca has one: ${SERVER_LOGGER_NAME}).` } } as const;

  return {
    paths: [
      path({
        pattern: 'loggers',
        fields: levelField,
        synopsis: 'Read, set or revert the level of every logger.',
        operations: {
          read: async () => ({ data: { [SERVER_LOGGER_NAME]: logger.level() } }),
          update: async (_req, data) => { logger.setLevel(parseLevel(data.level)); },
          delete: async () => { logger.setLevel(deps.configuredLevel()); },
        },
      }),
      path({
        pattern: 'loggers/:name',
        fields: { ...nameField, ...levelField },
        synopsis: 'Read, set or revert the level of one logger.',
        operations: {
          read: async (_req, data) => {
            checkName(data.name);
            return { data: { [data.name]: logger.level() } };
          },
          update: async (_req, data) => {
            checkName(data.name);
            logger.setLevel(parseLevel(data.level));
          },
          delete: async (_req, data) => {
            checkName(data.name);
            logger.setLevel(deps.configuredLevel());
          },
        },
      }),
    ],
  };
}
