/**
 * High availability on PostgreSQL with three real server processes: one active, two
 * standbys that forward; kill -9 of the active under write load → a standby takes over and
 * no acknowledged write is lost; a partitioned active steps down and none of its writes land
 * after another node became active; standbys serve KV reads and token lookups themselves and
 * still see every write the active acknowledged before the read (read-your-writes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { apiClient, type Api } from './support/api.js';
import { spawnServer, type ServerChild } from './support/process.js';
import { requireSystem } from './support/requires.js';
import { postgresReachable, POSTGRES_URL } from './support/databases.js';
import { startTcpProxy } from './support/tcp-proxy.js';
import { changeChannels } from '../src/storage/postgresql-changes.js';

const reachable = await postgresReachable();
const skip = requireSystem('ha', { install: 'a running PostgreSQL on 127.0.0.1:5432', present: () => reachable });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Node { server: ServerChild; api: Api; dir: string }

function clusterConfig(tables: { table: string; haTable: string }, connectionUrl = POSTGRES_URL) {
  return {
    storage: { postgresql: { connection_url: connectionUrl, table: tables.table, ha_table: tables.haTable, ha_enabled: 'true' } },
    listener: { tcp: { address: '127.0.0.1:0', tls_disable: true } },
    log_level: 'warn',
  };
}

async function startNode(config: Record<string, unknown>): Promise<Node> {
  const dir = mkdtempSync(join(tmpdir(), 'arca-ha-'));
  const server = await spawnServer(config, dir);
  return { server, api: apiClient(server.url), dir };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function activeOf(nodes: Node[]): Promise<Node | undefined> {
  for (const node of nodes) {
    const res = await node.api.call('GET', 'sys/health').catch(() => undefined);
    if (res?.status === 200) return node;
  }
  return undefined;
}

async function dropTables(tables: { table: string; haTable: string }): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  for (const t of [tables.table, tables.haTable, `${tables.haTable}_nodes`]) await client.query(`DROP TABLE IF EXISTS ${t}`);
  await client.query(`DROP FUNCTION IF EXISTS ${changeChannels(tables.table).changes}_notify()`);
  await client.end();
}

/** A node's own Prometheus counter (sys/metrics is never forwarded). */
async function counter(node: Node, name: string, labels: Record<string, string>): Promise<number> {
  const res = await node.api.call('GET', 'sys/metrics?format=prometheus');
  assert.equal(res.status, 200, res.text);
  let total = 0;
  for (const line of res.text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function startCluster(tables: { table: string; haTable: string }) {
  const nodes = [await startNode(clusterConfig(tables)), await startNode(clusterConfig(tables)), await startNode(clusterConfig(tables))];
  const init = await nodes[0].api.call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
  assert.equal(init.status, 200);
  for (const node of nodes) {
    assert.equal((await node.api.call('PUT', 'sys/unseal', { key: init.json.keys[0] })).json.sealed, false);
    node.api.token = init.json.root_token;
  }
  const active = await waitFor('an active node', () => activeOf(nodes));
  return { nodes, active, standbys: nodes.filter((n) => n !== active), key: init.json.keys[0] as string, root: init.json.root_token as string };
}

function freshTables() {
  const id = randomBytes(5).toString('hex');
  return { table: `arca_ha_kv_${id}`, haTable: `arca_ha_lock_${id}` };
}

test('three nodes: forwarding, health codes, failover under load with nothing lost, rejoin as standby', { skip, timeout: 180_000 }, async () => {
  const tables = freshTables();
  const nodes = [await startNode(clusterConfig(tables)), await startNode(clusterConfig(tables)), await startNode(clusterConfig(tables))];
  try {
    const init = await nodes[0].api.call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
    assert.equal(init.status, 200);
    const key = init.json.keys[0];
    const root = init.json.root_token;
    for (const node of nodes) {
      assert.equal((await node.api.call('PUT', 'sys/unseal', { key })).json.sealed, false);
      node.api.token = root;
    }
    const active = await waitFor('an active node', () => activeOf(nodes));
    const standbys = nodes.filter((n) => n !== active);
    await waitFor('standbys to see the leader', async () => {
      const leader = (await standbys[0].api.call('GET', 'sys/leader')).json;
      return leader.leader_address === active.server.url ? leader : undefined;
    });

    // Health: 429 on standbys, 200 with standbyok; leader info everywhere.
    for (const standby of standbys) {
      assert.equal((await standby.api.call('GET', 'sys/health')).status, 429);
      assert.equal((await standby.api.call('GET', 'sys/health?standbyok=true')).status, 200);
      const leader = (await standby.api.call('GET', 'sys/leader')).json;
      assert.equal(leader.ha_enabled, true);
      assert.equal(leader.is_self, false);
    }
    assert.equal((await active.api.call('GET', 'sys/leader')).json.is_self, true);

    // Writes through any node; reads through any node see them (standbys forward).
    assert.equal((await standbys[0].api.call('POST', 'sys/mounts/kv', { type: 'kv' })).status, 204);
    for (const [i, node] of nodes.entries()) assert.equal((await node.api.call('PUT', `kv/from-${i}`, { i })).status, 204);
    for (const node of nodes) {
      for (let i = 0; i < nodes.length; i++) assert.deepEqual((await node.api.call('GET', `kv/from-${i}`)).json.data, { i });
    }
    // A write is redirected when the client asks not to be forwarded (a read would be served locally).
    const redirect = await standbys[0].api.call('PUT', 'kv/from-0', { i: 0 }, { 'X-Vault-No-Request-Forwarding': 'true' });
    assert.equal(redirect.status, 307);
    assert.equal(redirect.headers.location, `${active.server.url}/v1/kv/from-0`);
    const status = (await active.api.call('GET', 'sys/ha-status')).json.data.nodes;
    assert.equal(status.length, 3);
    assert.equal(status.filter((n: { active_node: boolean }) => n.active_node).length, 1);

    // Write load through the standbys, then kill -9 the active.
    const acknowledged: string[] = [];
    let stop = false;
    const writers = standbys.map(async (node, w) => {
      for (let i = 0; !stop; i++) {
        const name = `load-${w}-${i}`;
        for (let attempt = 0; attempt < 100 && !stop; attempt++) {
          const res = await node.api.call('PUT', `kv/${name}`, { name }).catch(() => undefined);
          if (res?.status === 204) { acknowledged.push(name); break; }
          await sleep(50); // a client retrying through a standby
        }
      }
    });
    await waitFor('some load', async () => (acknowledged.length >= 50 ? true : undefined));
    const killedAt = Date.now();
    await active.server.kill9();
    const successor = await waitFor('a new active node', () => activeOf(standbys));
    const failoverMs = Date.now() - killedAt;
    console.log(`ha: failover after kill -9 of the active took ${failoverMs} ms`);
    const countAtFailover = acknowledged.length;
    await waitFor('writes to resume', async () => (acknowledged.length > countAtFailover + 20 ? true : undefined));
    stop = true;
    await Promise.all(writers);
    const missing: string[] = [];
    for (const name of acknowledged) {
      const res = await successor.api.call('GET', `kv/${name}`);
      if (res.status !== 200 || res.json.data.name !== name) missing.push(name);
    }
    assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged writes lost`);

    // The old active, restarted, joins as a standby.
    const index = nodes.indexOf(active);
    nodes[index] = await startNode(clusterConfig(tables));
    assert.equal((await nodes[index].api.call('PUT', 'sys/unseal', { key })).json.sealed, false);
    nodes[index].api.token = root;
    await waitFor('the restarted node to stand by', async () => ((await nodes[index].api.call('GET', 'sys/health')).status === 429 ? true : undefined));
    assert.deepEqual((await nodes[index].api.call('GET', 'kv/from-1')).json.data, { i: 1 });
  } finally {
    for (const node of nodes) await node.server.stop().catch(() => {});
    await dropTables(tables);
  }
});

test('a partitioned active steps down and none of its writes land after another node took over', { skip, timeout: 120_000 }, async () => {
  const tables = freshTables();
  const proxy = await startTcpProxy(5432);
  const viaProxy = POSTGRES_URL.replace(':5432', `:${proxy.port}`);
  const first = await startNode(clusterConfig(tables, viaProxy));
  let second: Node | undefined;
  try {
    const init = await first.api.call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
    const key = init.json.keys[0];
    first.api.token = init.json.root_token;
    await first.api.call('PUT', 'sys/unseal', { key });
    await waitFor('the first node to be active', async () => ((await first.api.call('GET', 'sys/health')).status === 200 ? true : undefined));
    assert.equal((await first.api.call('POST', 'sys/mounts/kv', { type: 'kv' })).status, 204);
    assert.equal((await first.api.call('PUT', 'kv/marker', { by: 'first' })).status, 204);

    second = await startNode(clusterConfig(tables));
    second.api.token = init.json.root_token;
    await second.api.call('PUT', 'sys/unseal', { key });
    await waitFor('the second node to stand by', async () => ((await second!.api.call('GET', 'sys/health')).status === 429 ? true : undefined));

    proxy.cut(); // the active loses its database
    const late = first.api.call('PUT', 'kv/marker', { by: 'first-after-partition' }).catch(() => undefined);
    await waitFor('the second node to take over', async () => ((await second!.api.call('GET', 'sys/health')).status === 200 ? true : undefined));
    assert.equal((await second.api.call('PUT', 'kv/marker', { by: 'second' })).status, 204);
    const health = await first.api.call('GET', 'sys/health');
    assert.notEqual(health.status, 200, 'the partitioned node no longer claims to be active');

    proxy.restore();
    const lateAnswer = await late;
    assert.notEqual(lateAnswer?.status, 204, 'the partitioned active did not acknowledge a write');
    await sleep(2000); // give any stale write every chance to land
    assert.deepEqual((await second.api.call('GET', 'kv/marker')).json.data, { by: 'second' });
    await waitFor('the old active to rejoin as standby', async () => ((await first.api.call('GET', 'sys/health')).status === 429 ? true : undefined));
  } finally {
    await first.server.stop().catch(() => {});
    await second?.server.stop().catch(() => {});
    await proxy.close();
    await dropTables(tables);
  }
});

test('standbys serve KV reads and token lookups themselves, and see every write acknowledged before the read', { skip, timeout: 180_000 }, async () => {
  const tables = freshTables();
  const { nodes, active, standbys } = await startCluster(tables);
  try {
    assert.equal((await active.api.call('POST', 'sys/mounts/secret', { type: 'kv', options: { version: '2' } })).status, 204);
    assert.equal((await active.api.call('POST', 'sys/mounts/v1', { type: 'kv' })).status, 204);
    const local = (node: Node) => counter(node, 'arca_ha_standby_requests_total', { served: 'local' });
    // The view reloads after the mount table changed: wait until both standbys read locally again.
    for (const standby of standbys) {
      await waitFor('the standby to serve reads locally', async () => {
        const before = await local(standby);
        await standby.api.call('GET', 'secret/metadata/none');
        return (await local(standby)) > before ? true : undefined;
      });
    }
    const localBefore = await Promise.all(standbys.map(local));

    // Read-your-writes: every write acknowledged by the active is visible on both standbys at once.
    const stale: string[] = [];
    for (let i = 0; i < 150; i++) {
      assert.equal((await active.api.call('POST', 'secret/data/ryw', { data: { i } })).status, 200);
      assert.equal((await active.api.call('PUT', 'v1/ryw', { i })).status, 204);
      for (const [s, standby] of standbys.entries()) {
        const v2 = await standby.api.call('GET', 'secret/data/ryw');
        if (v2.json?.data?.data?.i !== i || v2.json.data.metadata.version !== i + 1) stale.push(`v2 #${i} on standby ${s}: ${v2.status} ${v2.text.slice(0, 120)}`);
        const v1 = await standby.api.call('GET', 'v1/ryw');
        if (v1.json?.data?.i !== i) stale.push(`v1 #${i} on standby ${s}: ${v1.status}`);
      }
    }
    assert.deepEqual(stale, []);
    // A delete is as visible as a write.
    assert.equal((await active.api.call('DELETE', 'v1/ryw')).status, 204);
    for (const standby of standbys) assert.equal((await standby.api.call('GET', 'v1/ryw')).status, 404);

    // Policies: a narrowed policy applies on the standby to the very next read.
    assert.equal((await active.api.call('PUT', 'sys/policies/acl/reader', { policy: 'path "secret/data/*" { capabilities = ["read"] }' })).status, 204);
    const token = (await active.api.call('POST', 'auth/token/create', { policies: ['reader'] })).json.auth.client_token;
    for (const standby of standbys) {
      assert.equal((await standby.api.call('GET', 'secret/data/ryw', undefined, { 'X-Vault-Token': token })).status, 200);
      assert.equal((await standby.api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': token })).json.data.policies.includes('reader'), true);
    }
    assert.equal((await active.api.call('PUT', 'sys/policies/acl/reader', { policy: 'path "secret/data/other" { capabilities = ["read"] }' })).status, 204);
    for (const standby of standbys) assert.equal((await standby.api.call('GET', 'secret/data/ryw', undefined, { 'X-Vault-Token': token })).status, 403);

    // Tokens: a revoked token is refused by the standby on the next request.
    assert.equal((await active.api.call('POST', 'auth/token/revoke', { token })).status, 204);
    for (const standby of standbys) assert.equal((await standby.api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': token })).status, 403);

    // Reads that must write go to the active: use-limited tokens are counted there, wrapping mints there.
    assert.equal((await active.api.call('PUT', 'sys/policies/acl/reader', { policy: 'path "secret/data/*" { capabilities = ["read"] }' })).status, 204);
    const twice = (await active.api.call('POST', 'auth/token/create', { policies: ['reader'], num_uses: 2 })).json.auth.client_token;
    const withUses = (node: Node) => node.api.call('GET', 'secret/data/ryw', undefined, { 'X-Vault-Token': twice });
    assert.equal((await withUses(standbys[0])).status, 200);
    assert.equal((await withUses(standbys[1])).status, 200);
    assert.equal((await withUses(standbys[0])).status, 403, 'the third use is refused: both uses were counted');
    const wrapped = await standbys[0].api.call('GET', 'secret/data/ryw', undefined, { 'X-Vault-Wrap-TTL': '60' });
    assert.equal(wrapped.status, 200);
    const unwrapped = await standbys[1].api.call('POST', 'sys/wrapping/unwrap', undefined, { 'X-Vault-Token': wrapped.json.wrap_info.token });
    assert.equal(unwrapped.json.data.data.i, 149);

    // Keyring rotation: data written under the new term reads on the standbys straight away.
    assert.equal((await active.api.call('POST', 'sys/rotate')).status, 204);
    assert.equal((await active.api.call('POST', 'secret/data/after-rotate', { data: { term: 2 } })).status, 200);
    for (const standby of standbys) assert.deepEqual((await standby.api.call('GET', 'secret/data/after-rotate')).json.data.data, { term: 2 });

    // Writes through a standby still go to the active; a new mount is readable through a standby at once.
    assert.equal((await standbys[0].api.call('POST', 'sys/mounts/fresh', { type: 'kv' })).status, 204);
    assert.equal((await standbys[1].api.call('PUT', 'fresh/x', { y: 1 })).status, 204);
    for (const node of nodes) assert.deepEqual((await node.api.call('GET', 'fresh/x')).json.data, { y: 1 });

    const localAfter = await Promise.all(standbys.map((standby) => waitFor('the standby view to reload', () => local(standby))));
    for (const [s] of standbys.entries()) {
      assert.ok(localAfter[s] - localBefore[s] >= 300, `standby ${s} served ${localAfter[s] - localBefore[s]} reads itself`);
    }
    // sys/metrics is never forwarded: each node reports its own numbers.
    assert.equal(await counter(active, 'arca_ha_standby_requests_total', { served: 'local' }), 0);
  } finally {
    for (const node of nodes) await node.server.stop().catch(() => {});
    await dropTables(tables);
  }
});

test('lease expiry moves with the lock: a lease made on the old active expires on the new one after a step-down', { skip, timeout: 120_000 }, async () => {
  const tables = freshTables();
  const { nodes, active, standbys } = await startCluster(tables);
  try {
    const created = await active.api.call('POST', 'auth/token/create', { policies: ['default'], ttl: '6s' });
    assert.equal(created.status, 200, created.text);
    const token: string = created.json.auth.client_token;
    const leases = async (node: Node) => (await node.api.call('LIST', 'sys/leases/lookup/auth/token/create/')).json?.data?.keys ?? [];
    assert.equal((await leases(active)).length, 1, 'the token has a lease');

    assert.equal((await active.api.call('PUT', 'sys/step-down')).status, 204);
    const successor = await waitFor('a new active node', () => activeOf(standbys));
    assert.equal((await active.api.call('GET', 'sys/health')).status, 429, 'the old active stands by');
    assert.equal((await successor.api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': token })).status, 200, 'still valid before its TTL');

    // Only an active node runs expiry: the successor revokes the lease when it is due.
    await waitFor('the lease to expire on the new active', async () => ((await leases(successor)).length === 0 ? true : undefined));
    assert.equal((await successor.api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': token })).status, 403);
  } finally {
    for (const node of nodes) await node.server.stop().catch(() => {});
    await dropTables(tables);
  }
});
