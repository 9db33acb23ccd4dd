/**
 * KV through node-vault, a real client: its generic read/write/list/delete against a KV v2
 * mount (paths built by the caller) and a v1 mount, and its error mapping for 404s.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startDevServer, type DevServer } from './support/server.js';

const require = createRequire(import.meta.url);
interface NodeVaultClient {
  read(path: string): Promise<any>;
  write(path: string, data: unknown): Promise<any>;
  list(path: string): Promise<any>;
  delete(path: string): Promise<any>;
}
const nodeVault = require('node-vault') as (options: { endpoint: string; token: string; apiVersion?: string }) => NodeVaultClient;

let server: DevServer;
let vault: NodeVaultClient;

before(async () => {
  server = await startDevServer();
  vault = nodeVault({ endpoint: server.api.url, token: server.rootToken, apiVersion: 'v1' });
});
after(async () => { await server?.close(); });

it('writes, reads, lists and deletes a KV v2 secret', async () => {
  const written = await vault.write('secret/data/node/app', { data: { password: 'pw' } });
  assert.equal(written.data.version, 1);
  const read = await vault.read('secret/data/node/app');
  assert.deepEqual(read.data.data, { password: 'pw' });
  const listed = await vault.list('secret/metadata/node');
  assert.deepEqual(listed.data.keys, ['app']);
  await vault.delete('secret/data/node/app');
  await assert.rejects(vault.read('secret/data/node/app'), (err: { response?: { statusCode: number } }) => err.response?.statusCode === 404);
});

it('reads a KV v1 secret with its advisory lease duration', async () => {
  await server.api.call('POST', 'sys/mounts/nv1', { type: 'kv' });
  await vault.write('nv1/app', { user: 'u' });
  const read = await vault.read('nv1/app');
  assert.deepEqual(read.data, { user: 'u' });
  assert.equal(read.lease_duration, 2764800);
  await assert.rejects(vault.read('nv1/missing'), (err: { response?: { statusCode: number } }) => err.response?.statusCode === 404);
});
