/**
 * Benchmark scenarios. Each prepares its own state over the API and names the request the
 * load generator repeats. A scenario whose feature is not in this build reports why instead.
 */
import type { Api } from '../test/support/api.js';

export interface LoadRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Scenario {
  name: string;
  /** Which server the scenario runs against. */
  server: 'durable' | 'inmem';
  /** Items each request carries (batch rows): items/s = req/s × this. */
  itemsPerRequest?: number;
  prepare(api: Api): Promise<LoadRequest>;
}

function must(ok: boolean, what: string, detail: unknown): void {
  if (!ok) throw new Error(`${what}: ${JSON.stringify(detail)}`);
}

/** A policy with 20 rules, one of which grants the KV read. */
function twentyRulePolicy(): string {
  const rules = Array.from({ length: 19 }, (_, i) => `path "secret/data/team${i}/*" { capabilities = ["read", "list"] }`);
  rules.push('path "secret/data/bench/*" { capabilities = ["read"] }');
  return rules.join('\n');
}

async function limitedToken(api: Api): Promise<string> {
  const policy = await api.call('PUT', 'sys/policies/acl/bench-reader', { policy: twentyRulePolicy() });
  must(policy.status === 204, 'write policy', policy.json);
  const token = await api.call('POST', 'auth/token/create', { policies: ['bench-reader'], ttl: '1h' });
  must(token.status === 200, 'create token', token.json);
  return token.json.auth.client_token as string;
}

async function writeSecret(api: Api): Promise<void> {
  const res = await api.call('POST', 'secret/data/bench/app', { data: { value: 'x'.repeat(100) } });
  must(res.status === 200, 'write secret', res.json);
}

const PLAINTEXT_64 = Buffer.alloc(64, 0x61).toString('base64');
const BATCH = 100;

/** The transit mount and keys, made once per server. */
let transitReady: Promise<void> | undefined;
function transitMount(api: Api): Promise<void> {
  transitReady ??= (async () => {
    const mount = await api.call('POST', 'sys/mounts/bench-transit', { type: 'transit' });
    must(mount.status === 204, 'mount transit', mount.json);
    const aes = await api.call('POST', 'bench-transit/keys/aes', { type: 'aes256-gcm96' });
    must(aes.status < 300, 'create aes key', aes.json);
    const ed = await api.call('POST', 'bench-transit/keys/ed', { type: 'ed25519' });
    must(ed.status < 300, 'create ed25519 key', ed.json);
  })();
  return transitReady;
}

async function ciphertext(api: Api): Promise<string> {
  const res = await api.call('POST', 'bench-transit/encrypt/aes', { plaintext: PLAINTEXT_64 });
  must(res.status === 200, 'encrypt', res.json);
  return res.json.data.ciphertext as string;
}

function post(api: Api, path: string, body: unknown): LoadRequest {
  return { method: 'POST', path, headers: { 'X-Vault-Token': api.token, 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/** Transit rows: aes256-gcm96 on a 64-byte plaintext, single and batch of 100; ed25519 sign. */
function transitScenarios(): Scenario[] {
  return [
    {
      name: 'transit encrypt (aes256-gcm96, 64 B)',
      server: 'durable',
      async prepare(api) {
        await transitMount(api);
        return post(api, '/v1/bench-transit/encrypt/aes', { plaintext: PLAINTEXT_64 });
      },
    },
    {
      name: 'transit encrypt batch of 100',
      server: 'durable',
      itemsPerRequest: BATCH,
      async prepare(api) {
        await transitMount(api);
        return post(api, '/v1/bench-transit/encrypt/aes', { batch_input: Array.from({ length: BATCH }, () => ({ plaintext: PLAINTEXT_64 })) });
      },
    },
    {
      name: 'transit decrypt (aes256-gcm96, 64 B)',
      server: 'durable',
      async prepare(api) {
        await transitMount(api);
        return post(api, '/v1/bench-transit/decrypt/aes', { ciphertext: await ciphertext(api) });
      },
    },
    {
      name: 'transit decrypt batch of 100',
      server: 'durable',
      itemsPerRequest: BATCH,
      async prepare(api) {
        await transitMount(api);
        const ct = await ciphertext(api);
        return post(api, '/v1/bench-transit/decrypt/aes', { batch_input: Array.from({ length: BATCH }, () => ({ ciphertext: ct })) });
      },
    },
    {
      name: 'transit sign (ed25519)',
      server: 'durable',
      async prepare(api) {
        await transitMount(api);
        return post(api, '/v1/bench-transit/sign/ed', { input: PLAINTEXT_64 });
      },
    },
  ];
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'sys/health',
    server: 'durable',
    prepare: async () => ({ method: 'GET', path: '/v1/sys/health' }),
  },
  {
    name: 'kv v2 read (token, 20-rule policy)',
    server: 'durable',
    async prepare(api) {
      await writeSecret(api);
      const token = await limitedToken(api);
      return { method: 'GET', path: '/v1/secret/data/bench/app', headers: { 'X-Vault-Token': token } };
    },
  },
  {
    name: 'kv v2 write (sqlite, durable)',
    server: 'durable',
    prepare: async (api) => ({
      method: 'POST', path: '/v1/secret/data/bench/write', headers: { 'X-Vault-Token': api.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { value: 'x'.repeat(100) } }),
    }),
  },
  {
    name: 'kv v2 write (inmem)',
    server: 'inmem',
    prepare: async (api) => ({
      method: 'POST', path: '/v1/secret/data/bench/write', headers: { 'X-Vault-Token': api.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { value: 'x'.repeat(100) } }),
    }),
  },
  {
    name: 'token create (service)',
    server: 'durable',
    prepare: async (api) => ({
      method: 'POST', path: '/v1/auth/token/create', headers: { 'X-Vault-Token': api.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ policies: ['default'], ttl: '1h' }),
    }),
  },
  {
    name: 'token lookup-self',
    server: 'durable',
    prepare: async (api) => ({ method: 'GET', path: '/v1/auth/token/lookup-self', headers: { 'X-Vault-Token': api.token } }),
  },
  {
    // Needs the machine's PostgreSQL (postgres@127.0.0.1:5432, trust auth); each request creates a role.
    // Roles left by earlier runs (arca_bench_*) are dropped first, so at most one run's worth remains.
    name: 'database creds (postgresql)',
    server: 'durable',
    async prepare(api) {
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', connectionTimeoutMillis: 2000 });
      await admin.connect();
      try {
        const old = await admin.query("SELECT rolname FROM pg_roles WHERE rolname LIKE 'arca\\_bench\\_%'");
        for (const row of old.rows as { rolname: string }[]) await admin.query(`DROP ROLE IF EXISTS "${row.rolname}"`);
      } finally {
        await admin.end();
      }
      const mount = await api.call('POST', 'sys/mounts/bench-db', { type: 'database' });
      must(mount.status === 204, 'mount database', mount.json);
      const config = await api.call('POST', 'bench-db/config/pg', {
        plugin_name: 'postgresql-database-plugin',
        connection_url: 'postgresql://postgres@127.0.0.1:5432/test?sslmode=disable',
        allowed_roles: 'bench',
        max_open_connections: 8,
        username_template: '{{ printf "arca_bench_%s" (random 24) | lowercase }}',
      });
      must(config.status === 204, 'configure database', config.json);
      const role = await api.call('POST', 'bench-db/roles/bench', {
        db_name: 'pg', default_ttl: '10m', max_ttl: '1h',
        creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
      });
      must(role.status === 204, 'write role', role.json);
      return { method: 'GET', path: '/v1/bench-db/creds/bench', headers: { 'X-Vault-Token': api.token } };
    },
  },
  {
    // Each login runs scrypt (N=2^15, r=8, p=1: 32 MiB) and mints a token; the KDF dominates.
    name: 'userpass login',
    server: 'durable',
    async prepare(api) {
      const mount = await api.call('POST', 'sys/auth/bench-userpass', { type: 'userpass' });
      must(mount.status === 204, 'enable userpass', mount.json);
      const user = await api.call('POST', 'auth/bench-userpass/users/bench', { password: 'bench-password', token_policies: 'default', token_ttl: '1h' });
      must(user.status === 204, 'create user', user.json);
      return {
        method: 'POST', path: '/v1/auth/bench-userpass/login/bench', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ password: 'bench-password' }),
      };
    },
  },
  {
    name: 'approle login',
    server: 'durable',
    async prepare(api) {
      const mount = await api.call('POST', 'sys/auth/bench-approle', { type: 'approle' });
      must(mount.status === 204, 'enable approle', mount.json);
      const role = await api.call('POST', 'auth/bench-approle/role/bench', { token_policies: 'default', token_ttl: '1h' });
      must(role.status === 204, 'create role', role.json);
      const roleId = await api.call('GET', 'auth/bench-approle/role/bench/role-id');
      const secretId = await api.call('POST', 'auth/bench-approle/role/bench/secret-id', {});
      must(secretId.status === 200, 'generate secret id', secretId.json);
      return {
        method: 'POST', path: '/v1/auth/bench-approle/login', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ role_id: roleId.json.data.role_id, secret_id: secretId.json.data.secret_id }),
      };
    },
  },
  {
    // Each issue generates a P-256 key pair and signs one certificate with the EC root (no_store off).
    name: 'pki issue (EC P-256)',
    server: 'inmem',
    async prepare(api) {
      const mount = await api.call('POST', 'sys/mounts/bench-pki', { type: 'pki', config: { max_lease_ttl: '87600h' } });
      must(mount.status === 204, 'enable pki', mount.json);
      const root = await api.call('POST', 'bench-pki/root/generate/internal', { common_name: 'Bench Root', key_type: 'ec', key_bits: 256, ttl: '8760h' });
      must(root.status === 200, 'generate root', root.json);
      const role = await api.call('POST', 'bench-pki/roles/bench', { allowed_domains: 'bench.example', allow_subdomains: true, key_type: 'ec', key_bits: 256, ttl: '1h' });
      must(role.status === 200, 'create role', role.json);
      return {
        method: 'POST', path: '/v1/bench-pki/issue/bench', headers: { 'X-Vault-Token': api.token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ common_name: 'app.bench.example' }),
      };
    },
  },
  ...transitScenarios(),
  {
    // Last: it leaves the audit device enabled on the durable server. Compare with the
    // "kv v2 read (token, 20-rule policy)" row (same request, audit off); target ≥ 80%.
    name: 'kv v2 read (token, 20-rule policy), file audit on',
    server: 'durable',
    async prepare(api) {
      const { mkdtempSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const file = join(mkdtempSync(join(tmpdir(), 'arca-bench-audit-')), 'audit.log');
      const enable = await api.call('PUT', 'sys/audit/bench', { type: 'file', options: { file_path: file } });
      must(enable.status === 204, 'enable file audit', enable.json);
      await writeSecret(api);
      const token = await limitedToken(api);
      return { method: 'GET', path: '/v1/secret/data/bench/app', headers: { 'X-Vault-Token': token } };
    },
  },
];
