/** sys/metrics against a real dev server: a Prometheus scrape parsed, the metrics present and moving. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, type Api } from './support/server.js';

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Parses the Prometheus text format (0.0.4): comments, `name{a="b",...} value`. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) { types.set(type[1], type[2]); continue; }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `unparseable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: m[1], labels, value: m[3] === '+Inf' ? Infinity : Number(m[3]) });
  }
  return { samples, types };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return hits.reduce((sum, s) => sum + s.value, 0);
}

async function scrape(api: Api, headers?: Record<string, string>) {
  const res = await api.call('GET', 'sys/metrics?format=prometheus', undefined, headers);
  assert.equal(res.status, 200, res.text);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return parsePrometheus(res.text);
}

test('Prometheus scrape: request, seal, token, lease, barrier, storage and audit metrics present and moving', async () => {
  const s = await startDevServer();
  const dir = mkdtempSync(join(tmpdir(), 'arca-metrics-'));
  try {
    await s.api.call('POST', 'secret/data/m', { data: { v: '1' } });
    const first = await scrape(s.api);
    assert.equal(first.types.get('arca_core_handle_request_total'), 'counter');
    assert.equal(first.types.get('arca_core_handle_request_seconds'), 'histogram');
    assert.equal(value(first.samples, 'arca_core_unsealed'), 1);
    assert.ok(value(first.samples, 'arca_core_unseal_total') >= 1);
    assert.ok(value(first.samples, 'arca_token_count') >= 1, 'the root token is counted');
    assert.ok(first.samples.some((x) => x.name === 'arca_expire_num_leases'));
    assert.ok(first.samples.every((x) => x.labels.host !== undefined), 'hostname label unless disable_hostname');
    const reads0 = value(first.samples, 'arca_core_handle_request_total', { mount: 'secret/', operation: 'read' });
    const barrierGets0 = value(first.samples, 'arca_barrier_operations_total', { op: 'get' });
    const barrierPuts0 = value(first.samples, 'arca_barrier_operations_total', { op: 'put' });
    const storage0 = value(first.samples, 'arca_storage_seconds_count', { backend: 'inmem', op: 'put' });
    const tokens0 = value(first.samples, 'arca_token_count');
    assert.ok(value(first.samples, 'arca_seal_operations_total') >= 1, 'seal calls at init/unseal are counted');

    for (let i = 0; i < 3; i++) assert.equal((await s.api.call('GET', 'secret/data/m')).status, 200);
    assert.equal((await s.api.call('GET', 'secret/data/missing')).status, 404);
    await s.api.call('POST', 'secret/data/m2', { data: { v: '2' } });
    await s.api.call('POST', 'auth/token/create', { policies: ['default'] });
    const broken = mkdtempSync(join(dir, 'gone-'));
    assert.equal((await s.api.call('PUT', 'sys/audit/a', { type: 'file', options: { file_path: join(broken, 'a.log') } })).status, 204);
    assert.equal((await s.api.call('PUT', 'sys/audit/b', { type: 'file', options: { file_path: join(dir, 'b.log') } })).status, 204);
    rmSync(broken, { recursive: true });
    await s.server.composed.audit.reopen();
    assert.equal((await s.api.call('GET', 'secret/data/m')).status, 200);

    const second = await scrape(s.api);
    assert.equal(value(second.samples, 'arca_core_handle_request_total', { mount: 'secret/', operation: 'read' }) - reads0, 5 + 0, 'four reads plus the one after the device broke');
    assert.equal(value(second.samples, 'arca_core_handle_request_total', { mount: 'secret/', operation: 'read', code: '404' }), 1);
    assert.ok(value(second.samples, 'arca_core_handle_request_seconds_count', { mount: 'secret/', operation: 'read' }) >= 5);
    const inf = second.samples.find((x) => x.name === 'arca_core_handle_request_seconds_bucket' && x.labels.mount === 'secret/' && x.labels.operation === 'read' && x.labels.le === '+Inf');
    assert.ok(inf && inf.value >= 5);
    assert.ok(value(second.samples, 'arca_barrier_operations_total', { op: 'put' }) > barrierPuts0);
    assert.ok(value(second.samples, 'arca_barrier_operations_total', { op: 'get' }) >= barrierGets0);
    assert.ok(value(second.samples, 'arca_storage_seconds_count', { backend: 'inmem', op: 'put' }) > storage0);
    assert.equal(value(second.samples, 'arca_token_count'), tokens0 + 1);
    assert.ok(value(second.samples, 'arca_audit_log_failure_total', { device: 'a/', type: 'request' }) >= 1);

    const json = await s.api.call('GET', 'sys/metrics');
    assert.equal(json.status, 200);
    assert.ok(Array.isArray(json.json.Gauges) && Array.isArray(json.json.Counters) && Array.isArray(json.json.Samples));
    assert.ok(json.json.Counters.some((c: any) => c.Name === 'arca.core.handle.request.total' && c.Labels.mount === 'secret/'));
    assert.equal((await s.api.call('GET', 'sys/metrics?format=xml')).status, 400);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a token is required unless unauthenticated_metrics_access; prometheus off when retention is 0', async () => {
  const closed = await startDevServer();
  try {
    const anon = await closed.api.call('GET', 'sys/metrics?format=prometheus', undefined, { 'X-Vault-Token': '' });
    assert.equal(anon.status, 403);
  } finally {
    await closed.close();
  }
  const open = await startDevServer({ config: { telemetry: { unauthenticatedMetricsAccess: true, prometheusRetentionTimeSeconds: 3600, disableHostname: true } } });
  try {
    const scraped = await scrape(open.api, { 'X-Vault-Token': '' });
    assert.ok(scraped.samples.every((x) => x.labels.host === undefined));
  } finally {
    await open.close();
  }
  const off = await startDevServer({ config: { telemetry: { unauthenticatedMetricsAccess: false, prometheusRetentionTimeSeconds: 0, disableHostname: false } } });
  try {
    const res = await off.api.call('GET', 'sys/metrics?format=prometheus');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json.errors, ['prometheus is not enabled']);
  } finally {
    await off.close();
  }
});
