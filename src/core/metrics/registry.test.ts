import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetricsRegistry } from './registry.js';

test('counters, gauges and histograms render in Prometheus text with escaped labels', async () => {
  const r = createMetricsRegistry({ prefix: 'x', buckets: [0.1, 1] });
  const c = r.counter('hits_total', 'Hits.');
  c.inc({ path: 'a"b\\c' });
  c.inc({ path: 'a"b\\c' }, 2);
  const g = r.gauge('up', 'Up.');
  r.onCollect(() => g.set(1));
  const h = r.histogram('lat_seconds', 'Latency.');
  h.observe(0.05, { op: 'get' });
  h.observe(0.5, { op: 'get' });
  h.observe(5, { op: 'get' });
  await r.collect();
  assert.equal(r.renderPrometheus({ host: 'n' }), [
    '# HELP x_hits_total Hits.', '# TYPE x_hits_total counter', 'x_hits_total{host="n",path="a\\"b\\\\c"} 3',
    '# HELP x_up Up.', '# TYPE x_up gauge', 'x_up{host="n"} 1',
    '# HELP x_lat_seconds Latency.', '# TYPE x_lat_seconds histogram',
    'x_lat_seconds_bucket{host="n",op="get",le="0.1"} 1', 'x_lat_seconds_bucket{host="n",op="get",le="1"} 2',
    'x_lat_seconds_bucket{host="n",op="get",le="+Inf"} 3', 'x_lat_seconds_sum{host="n",op="get"} 5.55', 'x_lat_seconds_count{host="n",op="get"} 3',
  ].join('\n') + '\n');
  assert.equal(c.get({ path: 'a"b\\c' }), 3);
  assert.equal(h.count({ op: 'get' }), 3);
});

test('JSON dump has go-metrics sections; time() observes failures too', async () => {
  const r = createMetricsRegistry({ prefix: 'x', now: () => 0 });
  const h = r.histogram('op_seconds', 'Op.');
  await assert.rejects(h.time({ op: 'a' }, async () => { throw new Error('no'); }), { message: 'no' });
  assert.equal(h.count({ op: 'a' }), 1);
  r.counter('c_total', 'C.').inc();
  const json = r.renderJson() as any;
  assert.equal(json.Timestamp, '1970-01-01T00:00:00.000Z');
  assert.equal(json.Samples[0].Name, 'x.op.seconds');
  assert.equal(json.Counters[0].Count, 1);
  assert.deepEqual(json.Points, []);
});

test('a series handle counts into the same series as calls with the same labels, in any key order', () => {
  const r = createMetricsRegistry({ prefix: 'x', buckets: [1] });
  const c = r.counter('req_total', 'Requests.');
  const bound = c.series({ op: 'read', mount: 'secret/' });
  bound.inc();
  c.inc({ mount: 'secret/', op: 'read' });
  bound.inc(2);
  assert.equal(c.get({ mount: 'secret/', op: 'read' }), 4);
  const h = r.histogram('req_seconds', 'Latency.');
  const timed = h.series({ op: 'read' });
  timed.observe(0.5);
  h.observe(2, { op: 'read' });
  assert.equal(h.count({ op: 'read' }), 2);
  assert.match(r.renderPrometheus(), /x_req_seconds_bucket\{op="read",le="1"\} 1\n/);
});
