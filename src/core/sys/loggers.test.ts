import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { createDispatcher } from '../../framework/backend.js';
import type { LogicalRequest, Operation } from '../../framework/logical.js';
import { createLogger } from '../../util/log.js';
import { loggerPathsFor, parseLevel } from './loggers.js';

function harness() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
  const dispatcher = createDispatcher(loggerPathsFor({ logger, configuredLevel: () => 'warn' }));
  const call = (operation: Operation, path: string, data: Record<string, unknown> = {}) => dispatcher.handle({
    id: 't', operation, path: `sys/${path}`, mountRelativePath: path, mountPoint: 'sys/', mountType: 'system', mountAccessor: 'system',
    data, clientToken: '', headers: {}, remoteAddress: '', storage: undefined as never,
  } satisfies LogicalRequest);
  return { call, logger, lines };
}

test('parseLevel accepts Vault\'s names and aliases and refuses the rest', () => {
  assert.equal(parseLevel('DEBUG'), 'debug');
  assert.equal(parseLevel('warning'), 'warn');
  assert.equal(parseLevel('notice'), 'info');
  assert.equal(parseLevel('err'), 'error');
  assert.throws(() => parseLevel(undefined), /level is required/);
  assert.throws(() => parseLevel(''), /level is empty/);
  assert.throws(() => parseLevel('verbose'), (err: unknown) => err instanceof InvalidRequest && /invalid level provided/.test(err.message));
});

test('set, read and revert the level of all loggers and of core; the logger obeys', async () => {
  const { call, logger, lines } = harness();
  assert.deepEqual((await call('read', 'loggers')).data, { core: 'warn' });
  logger.log('info', 'hidden');
  await call('update', 'loggers', { level: 'debug' });
  assert.equal(logger.level(), 'debug');
  logger.log('debug', 'shown');
  assert.deepEqual((await call('read', 'loggers/core')).data, { core: 'debug' });
  await call('update', 'loggers/core', { level: 'error' });
  assert.deepEqual((await call('read', 'loggers')).data, { core: 'error' });
  await call('delete', 'loggers/core');
  assert.equal(logger.level(), 'warn');
  await call('update', 'loggers', { level: 'trace' });
  await call('delete', 'loggers');
  assert.equal(logger.level(), 'warn');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /\[DEBUG\] shown$/);
});

test('unknown loggers and bad levels are 400s that change nothing', async () => {
  const { call, logger } = harness();
  await assert.rejects(call('read', 'loggers/expiration'), /logger "expiration" not found/);
  await assert.rejects(call('update', 'loggers/audit', { level: 'debug' }), /logger "audit" not found/);
  await assert.rejects(call('delete', 'loggers/audit'), InvalidRequest);
  await assert.rejects(call('update', 'loggers', {}), /level is required/);
  await assert.rejects(call('update', 'loggers/core', { level: 'loud' }), /invalid level provided/);
  assert.equal(logger.level(), 'warn');
});
