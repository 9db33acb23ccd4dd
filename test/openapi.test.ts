/** sys/internal/specs/openapi describes what is mounted, from the same declarations that route. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer } from './support/server.js';
import { openApiPaths } from '../src/framework/openapi.js';

test('optional segments expand to both forms; captures become templated parameters', () => {
  assert.deepEqual(openApiPaths('export/:type/:name/:version?', 'transit/'), ['/transit/export/{type}/{name}', '/transit/export/{type}/{name}/{version}']);
  assert.deepEqual(openApiPaths('data/:path*', 'secret/'), ['/secret/data/{path}']);
});

test('the OpenAPI document lists every mount with its operations and body fields', async () => {
  const dev = await startDevServer();
  try {
    const res = await dev.api.call('GET', 'sys/internal/specs/openapi');
    assert.equal(res.status, 200);
    const doc = res.json.data;
    assert.equal(doc.openapi, '3.0.2');
    const data = doc.paths['/secret/data/{path}'];
    assert.ok(data.get && data.post && data.delete, 'KV v2 data path has read, write and delete');
    assert.equal(data.parameters[0].name, 'path');
    const mounts = doc.paths['/sys/mounts/{path}'];
    assert.ok(mounts.post.requestBody.content['application/json'].schema.properties.type, 'enable body has "type"');
    assert.ok(doc.paths['/auth/token/create'].post, 'auth mounts are described');
    assert.equal((await dev.api.call('GET', 'sys/internal/specs/openapi', undefined, { 'X-Vault-Token': '' })).status, 403);
  } finally {
    await dev.close();
  }
});
