/**
 * Bring your own key, byte for byte: the keymgmt backend (real framework dispatcher, in-memory
 * storage) distributes keys to the AWS KMS, Azure Key Vault and Cloud KMS stand-ins, and the material each
 * provider ends up holding is compared with the material in Arca's own stored key record. Also
 * pins which storage prefixes are seal-wrapped and that credentials sit only there.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createDispatcher, pathListMatches } from '../src/framework/backend.js';
import type { LogicalRequest, Operation } from '../src/framework/logical.js';
import { keymgmtBackend, keymgmtDeps } from '../src/engines/keymgmt/index.js';
import { decodeKey } from '../src/engines/keymgmt/records.js';
import { startAwsKmsStandin, type AwsKmsStandin } from './standins/aws-kms-standin.js';
import { startAzureKeyVaultStandin, type AzureKeyVaultStandin } from './standins/azure-keyvault-standin.js';
import { startGcpKmsStandin } from './standins/gcp-kms-standin.js';

let aws: AwsKmsStandin;
let azure: AzureKeyVaultStandin;
before(async () => {
  [aws, azure] = await Promise.all([startAwsKmsStandin(), startAzureKeyVaultStandin()]);
});
after(async () => {
  await Promise.all([aws?.close(), azure?.close()]);
});

function memoryStorage() {
  const map = new Map<string, Buffer>();
  return {
    map,
    get: async (k: string) => map.get(k),
    put: async (k: string, v: Buffer) => { map.set(k, v); },
    delete: async (k: string) => { map.delete(k); },
    list: async (prefix: string) => [...new Set([...map.keys()].filter((k) => k.startsWith(prefix)).map((k) => {
      const rest = k.slice(prefix.length);
      const slash = rest.indexOf('/');
      return slash < 0 ? rest : rest.slice(0, slash + 1);
    }))],
  };
}

function engine() {
  const storage = memoryStorage();
  const backend = keymgmtBackend(keymgmtDeps({ storage, system: { randomBytes: async (n) => randomBytes(n), defaultLeaseTtl: () => 0, maxLeaseTtl: () => 0 } }));
  const dispatcher = createDispatcher(backend);
  const request = (operation: Operation, path: string, data: Record<string, unknown> = {}) => dispatcher.handle({
    id: randomUUID(), operation, path: `keymgmt/${path}`, mountRelativePath: path, mountPoint: 'keymgmt/', mountType: 'keymgmt',
    mountAccessor: 'keymgmt_test', data, clientToken: '', headers: {}, remoteAddress: '127.0.0.1', storage,
  } satisfies LogicalRequest);
  const storedKey = (name: string) => decodeKey(storage.map.get(`key/${name}`)!);
  return { storage, backend, request, storedKey };
}

test('AWS KMS holds exactly the AES key material of every Arca version', async () => {
  const { request, storedKey, storage, backend } = engine();
  await request('update', 'kms/aws', { provider: 'awskms', key_collection: aws.region, credentials: { access_key: aws.accessKeyId, secret_key: aws.secretAccessKey, endpoint: aws.endpoint } });
  await request('update', 'key/k', { type: 'aes256-gcm96' });
  await request('update', 'kms/aws/key/k', { purpose: 'encrypt,decrypt' });
  await request('update', 'key/k/rotate');
  const versions = (await request('read', 'kms/aws/key/k')).data!.versions as Record<string, string>;
  const key = storedKey('k');
  assert.equal(key.versions.size, 2);
  for (const [n, version] of key.versions) {
    assert.equal(version.material.kind, 'aes');
    const inAws = aws.key(versions[String(n)])!;
    assert.equal(inAws.versions.length, 1);
    assert.ok(version.material.kind === 'aes' && inAws.versions[0].equals(version.material.raw), `version ${n} material differs`);
  }

  // Where things are stored, and which of those entries the barrier seal-wraps.
  assert.deepEqual([...storage.map.keys()].sort(), ['distribution/aws/k', 'key/k', 'kms/aws']);
  for (const path of ['key/k', 'kms/aws']) assert.ok(pathListMatches(backend.sealWrapStorage, path), path);
  assert.ok(!pathListMatches(backend.sealWrapStorage, 'distribution/aws/k'));
  assert.doesNotMatch(storage.map.get('distribution/aws/k')!.toString(), new RegExp(aws.secretAccessKey));
});

test('Azure Key Vault holds exactly the RSA private key of every Arca version', async () => {
  const { request, storedKey } = engine();
  await request('update', 'kms/az', {
    provider: 'azurekeyvault', key_collection: 'arca-kv',
    credentials: { tenant_id: azure.tenantId, client_id: azure.clientId, client_secret: azure.clientSecret, vault_url: azure.url, authority_host: azure.url, tls_ca_cert: readFileSync(azure.caCertFile, 'utf8') },
  });
  await request('update', 'key/r', { type: 'rsa-3072' });
  await request('update', 'kms/az/key/r', { purpose: 'encrypt,decrypt,wrap,unwrap', protection: 'software' });
  await request('update', 'key/r/rotate');
  const dist = (await request('read', 'kms/az/key/r')).data!;
  const inVault = azure.key(String(dist.name));
  const key = storedKey('r');
  for (const [n, version] of key.versions) {
    assert.equal(version.material.kind, 'rsa');
    const held = inVault.versions.find((v) => v.id === (dist.versions as Record<string, string>)[String(n)])!;
    assert.equal(held.hsm, false);
    assert.deepEqual(held.keyOps, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
    const ours = version.material.kind === 'rsa' ? version.material.privateKey.export({ format: 'jwk' }) : {};
    const theirs = held.privateKey.export({ format: 'jwk' });
    assert.equal(theirs.d, ours.d, `version ${n} private exponent differs`);
    assert.equal(theirs.n, ours.n);
  }
});

test('Cloud KMS holds exactly the AES key and the EC private key of every Arca version', async () => {
  const gcp = await startGcpKmsStandin();
  try {
    const { request, storedKey } = engine();
    await request('update', 'kms/gcp', {
      provider: 'gcpckms', key_collection: `projects/${gcp.project}/locations/${gcp.location}/keyRings/${gcp.keyRing}`,
      credentials: { service_account_file: gcp.serviceAccountFile(), endpoint: gcp.endpoint },
    });
    for (const [name, type, purpose] of [['sym', 'aes256-gcm96', 'encrypt,decrypt'], ['ec', 'ecdsa-p384', 'sign']] as const) {
      await request('update', `key/${name}`, { type });
      await request('update', `kms/gcp/key/${name}`, { purpose, protection: 'software' });
      await request('update', `key/${name}/rotate`);
      const versions = (await request('read', `kms/gcp/key/${name}`)).data!.versions as Record<string, string>;
      const key = storedKey(name);
      assert.equal(key.versions.size, 2);
      for (const [n, version] of key.versions) {
        const versionName = versions[String(n)];
        const held = gcp.key(versionName.replace(/\/cryptoKeyVersions\/\d+$/, '')).versions[Number(versionName.split('/').pop()) - 1];
        assert.equal(held.state, 'ENABLED');
        if (version.material.kind === 'aes') assert.ok(held.material.equals(version.material.raw), `${name} v${n}`);
        else if (version.material.kind === 'ec') assert.equal(held.privateKey!.export({ format: 'jwk' }).d, version.material.privateKey.export({ format: 'jwk' }).d, `${name} v${n}`);
        else assert.fail('unexpected material');
      }
    }
  } finally {
    await gcp.close();
  }
});
