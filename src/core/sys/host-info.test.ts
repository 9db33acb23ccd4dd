import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpus, hostname } from 'node:os';
import { collectHostInfo } from './host-info.js';

test('host info reports this machine with gopsutil\'s key names', async () => {
  const now = new Date();
  const { data, warnings } = await collectHostInfo(now);
  assert.deepEqual(warnings, []);
  assert.equal((data.cpu as unknown[]).length, cpus().length);
  assert.equal((data.cpu_times as Array<{ cpu: string }>)[0].cpu, 'cpu0');
  const host = data.host as Record<string, unknown>;
  assert.equal(host.hostname, hostname());
  assert.ok((host.bootTime as number) <= now.getTime() / 1000);
  const memory = data.memory as Record<string, number>;
  assert.ok(memory.total > 0 && memory.available > 0 && memory.available <= memory.total);
  const [disk] = data.disk as Array<Record<string, number | string>>;
  assert.equal(disk.path, '/');
  assert.ok((disk.total as number) > 0 && (disk.used as number) <= (disk.total as number));
  assert.equal(data.timestamp, now.toISOString());
});
