/**
 * The keymgmt engine over HTTP against a real dev server: keys of every type (no secret
 * material in any response), rotation, min_enabled_version and deletion rules, KMS providers
 * with write-only credentials, Vault's 400s for bad input, and the full bring-your-own-key
 * lifecycle against the AWS KMS, Azure Key Vault and Cloud KMS stand-ins (import, alias, version
 * or primary moves on rotation, disabling old versions, removal).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { ClientSecretCredential } from '@azure/identity';
import { CryptographyClient } from '@azure/keyvault-keys';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { startDevServer, type DevServer } from './support/server.js';
import { startAwsKmsStandin, type AwsKmsStandin } from './standins/aws-kms-standin.js';
import { startAzureKeyVaultStandin, type AzureKeyVaultStandin } from './standins/azure-keyvault-standin.js';
import { startGcpKmsStandin, type GcpKmsStandin } from './standins/gcp-kms-standin.js';

let dev: DevServer;
let aws: AwsKmsStandin;
let azure: AzureKeyVaultStandin;
const call = (method: string, path: string, body?: unknown) => dev.api.call(method, path, body);

before(async () => {
  [dev, aws, azure] = await Promise.all([startDevServer(), startAwsKmsStandin({ region: 'eu-west-1' }), startAzureKeyVaultStandin()]);
  assert.equal((await call('POST', 'sys/mounts/keymgmt', { type: 'keymgmt' })).status, 204);
});
after(async () => {
  await Promise.all([dev?.close(), aws?.close(), azure?.close()]);
});

const awsCredentials = () => ({ access_key: aws.accessKeyId, secret_key: aws.secretAccessKey, endpoint: aws.endpoint });
const azureCredentials = () => ({
  tenant_id: azure.tenantId, client_id: azure.clientId, client_secret: azure.clientSecret,
  vault_url: azure.url, authority_host: azure.url, tls_ca_cert: readFileSync(azure.caCertFile, 'utf8'),
});

/** No private material anywhere in a response body. */
function assertNoSecrets(text: string): void {
  assert.doesNotMatch(text, /PRIVATE KEY|"key":|"d":|secret_key|client_secret|standin-secret-key/);
}

describe('keys', () => {
  test('create every type, read (public keys only), list; default type rsa-2048', async () => {
    const types = ['aes256-gcm96', 'rsa-2048', 'rsa-3072', 'rsa-4096', 'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521'];
    for (const type of types) assert.equal((await call('POST', `keymgmt/key/t-${type}`, { type })).status, 204, type);
    assert.equal((await call('POST', 'keymgmt/key/t-default', {})).status, 204);
    for (const type of types) {
      const res = await call('GET', `keymgmt/key/t-${type}`);
      assert.equal(res.status, 200);
      assertNoSecrets(res.text);
      const d = res.json.data;
      assert.deepEqual(Object.keys(d).sort(), ['deletion_allowed', 'keys', 'latest_version', 'min_enabled_version', 'name', 'type']);
      assert.equal(d.type, type);
      assert.equal(d.latest_version, 1);
      assert.equal(d.min_enabled_version, 0);
      assert.equal(d.deletion_allowed, false);
      assert.ok(!Number.isNaN(Date.parse(d.keys['1'].creation_time)));
      if (type === 'aes256-gcm96') assert.deepEqual(Object.keys(d.keys['1']), ['creation_time']);
      else {
        const pub = createPublicKey(d.keys['1'].public_key);
        assert.equal(pub.asymmetricKeyType, type.startsWith('rsa') ? 'rsa' : 'ec');
        if (type.startsWith('rsa')) assert.equal(pub.asymmetricKeyDetails?.modulusLength, Number(type.slice(4)));
      }
    }
    assert.equal((await call('GET', 'keymgmt/key/t-default')).json.data.type, 'rsa-2048');
    const list = await call('LIST', 'keymgmt/key');
    assert.deepEqual(list.json.data.keys, [...types.map((t) => `t-${t}`), 't-default'].sort());
    assert.equal((await call('GET', 'keymgmt/key/missing')).status, 404);
  });

  test('rotate adds a version with new material; min_enabled_version bounds; deletion_allowed enforced', async () => {
    assert.equal((await call('POST', 'keymgmt/key/rot', { type: 'ecdsa-p256' })).status, 204);
    assert.equal((await call('POST', 'keymgmt/key/rot/rotate')).status, 204);
    const d = (await call('GET', 'keymgmt/key/rot')).json.data;
    assert.equal(d.latest_version, 2);
    assert.notEqual(d.keys['1'].public_key, d.keys['2'].public_key);
    assert.equal((await call('POST', 'keymgmt/key/rot', { min_enabled_version: 2 })).status, 204);
    assert.equal((await call('GET', 'keymgmt/key/rot')).json.data.min_enabled_version, 2);
    const tooHigh = await call('POST', 'keymgmt/key/rot', { min_enabled_version: 3 });
    assert.equal(tooHigh.status, 400);
    assert.deepEqual(tooHigh.json.errors, ['min_enabled_version cannot exceed the latest version (2)']);
    assert.equal((await call('POST', 'keymgmt/key/rot', { type: 'rsa-2048' })).status, 400);

    const refused = await call('DELETE', 'keymgmt/key/rot');
    assert.equal(refused.status, 400);
    assert.match(refused.json.errors[0], /deletion is not allowed/);
    assert.equal((await call('POST', 'keymgmt/key/rot', { deletion_allowed: true })).status, 204);
    assert.equal((await call('DELETE', 'keymgmt/key/rot')).status, 204);
    assert.equal((await call('GET', 'keymgmt/key/rot')).status, 404);
    assert.equal((await call('POST', 'keymgmt/key/missing/rotate')).status, 400);
  });

  test('bad input answers 400 with Vault errors', async () => {
    for (const [path, body, pattern] of [
      ['keymgmt/key/bad', { type: 'des' }, /unsupported key type "des"/],
      ['keymgmt/key/bad', { type: 'aes256-gcm96', min_enabled_version: 'x' }, /min_enabled_version/],
      ['keymgmt/kms/bad', { provider: 'vaultkms', key_collection: 'x' }, /provider/],
      ['keymgmt/kms/bad', { provider: 'awskms' }, /missing key_collection/],
      ['keymgmt/kms/bad', { key_collection: 'us-east-1' }, /missing provider/],
      ['keymgmt/kms/bad', { provider: 'awskms', key_collection: 'not a region' }, /AWS region/],
      ['keymgmt/kms/bad', { provider: 'awskms', key_collection: 'us-east-1', credentials: { access_key: 'a' } }, /access_key and secret_key/],
      ['keymgmt/kms/bad', { provider: 'awskms', key_collection: 'us-east-1', credentials: { token: 'a' } }, /unknown key "token"/],
      ['keymgmt/kms/bad', { provider: 'azurekeyvault', key_collection: 'kv', credentials: {} }, /Key Vault name/],
    ] as const) {
      const res = await call('POST', path, body);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}: ${res.text}`);
      assert.ok(Array.isArray(res.json.errors) && res.json.errors.length === 1, res.text);
      assert.match(res.json.errors[0], pattern);
    }
    assert.equal((await call('GET', 'keymgmt/kms/bad')).status, 404);
    assert.equal((await call('GET', 'keymgmt/key/bad')).status, 404);
  });
});

describe('KMS providers', () => {
  test('credentials are write-only; provider and key_collection fixed after creation', async () => {
    const body = { provider: 'awskms', key_collection: 'eu-west-1', credentials: awsCredentials() };
    assert.equal((await call('POST', 'keymgmt/kms/p1', body)).status, 204);
    const read = await call('GET', 'keymgmt/kms/p1');
    assert.equal(read.status, 200);
    assert.deepEqual(read.json.data, { provider: 'awskms', key_collection: 'eu-west-1' });
    assertNoSecrets(read.text);
    assert.doesNotMatch(read.text, new RegExp(aws.accessKeyId));
    // Vault's list form of credentials works too.
    assert.equal((await call('POST', 'keymgmt/kms/p1', { credentials: [`access_key=${aws.accessKeyId}`, `secret_key=${aws.secretAccessKey}`] })).status, 204);
    assert.deepEqual((await call('LIST', 'keymgmt/kms')).json.data.keys.includes('p1'), true);
    const changed = await call('POST', 'keymgmt/kms/p1', { provider: 'azurekeyvault' });
    assert.equal(changed.status, 400);
    assert.deepEqual(changed.json.errors, ['provider cannot be changed after creation']);
    assert.equal((await call('POST', 'keymgmt/kms/p1', { key_collection: 'us-east-1' })).status, 400);
    assert.equal((await call('DELETE', 'keymgmt/kms/p1')).status, 204);
    assert.equal((await call('GET', 'keymgmt/kms/p1')).status, 404);
  });

  test('distribution checks key type, purpose and protection against the provider before any call', async () => {
    await call('POST', 'keymgmt/kms/chk', { provider: 'awskms', key_collection: 'eu-west-1', credentials: awsCredentials() });
    await call('POST', 'keymgmt/key/chk-rsa', { type: 'rsa-2048' });
    await call('POST', 'keymgmt/key/chk-aes', { type: 'aes256-gcm96' });
    const before = aws.calls.length;
    for (const [key, body, pattern] of [
      ['chk-rsa', { purpose: 'encrypt' }, /awskms does not accept rsa-2048 keys/],
      ['chk-aes', { purpose: 'sign' }, /only the purposes encrypt, decrypt/],
      ['chk-aes', { purpose: 'encrypt,fly' }, /unknown purpose "fly"/],
      ['chk-aes', {}, /missing purpose/],
      ['chk-aes', { purpose: 'encrypt', protection: 'software' }, /only protection hsm/],
      ['chk-aes', { purpose: 'encrypt', protection: 'cloud' }, /protection/],
      ['nope', { purpose: 'encrypt' }, /key "nope" not found/],
    ] as const) {
      const res = await call('POST', `keymgmt/kms/chk/key/${key}`, body);
      assert.equal(res.status, 400, res.text);
      assert.match(res.json.errors[0], pattern);
    }
    assert.equal((await call('POST', 'keymgmt/kms/none/key/chk-aes', { purpose: 'encrypt' })).status, 400);
    assert.equal(aws.calls.length, before, 'no provider call for refused input');
    assert.equal((await call('LIST', 'keymgmt/kms/chk/key')).status, 404, 'an empty list is a 404, as in Vault');
  });
});

describe('awskms: bring your own key', () => {
  test('distribute, use through the alias, rotate, disable old versions, remove', async () => {
    assert.equal((await call('POST', 'keymgmt/kms/aws', { provider: 'awskms', key_collection: 'eu-west-1', credentials: awsCredentials() })).status, 204);
    assert.equal((await call('POST', 'keymgmt/key/payments', { type: 'aes256-gcm96' })).status, 204);
    const dist = await call('POST', 'keymgmt/kms/aws/key/payments', { purpose: 'encrypt,decrypt', protection: 'hsm' });
    assert.equal(dist.status, 204, dist.text);
    assert.deepEqual(aws.calls.slice(-4), ['CreateKey', 'GetParametersForImport', 'ImportKeyMaterial', 'CreateAlias']);

    const read = (await call('GET', 'keymgmt/kms/aws/key/payments')).json.data;
    assert.match(read.name, /^payments-\d+$/);
    assert.equal(read.purpose, 'encrypt,decrypt');
    assert.equal(read.protection, 'hsm');
    const alias = `alias/arca/${read.name}`;
    const v1 = aws.key(read.versions['1'])!;
    assert.equal(v1.origin, 'EXTERNAL');
    assert.equal(aws.aliasTarget(alias), v1.keyId);
    assert.deepEqual((await call('LIST', 'keymgmt/key/payments/kms')).json.data.keys, ['aws']);
    assert.deepEqual((await call('GET', 'keymgmt/key/payments/kms')).json.data.keys, ['aws']);
    assert.deepEqual((await call('LIST', 'keymgmt/kms/aws/key')).json.data.keys, ['payments']);

    const kms = new KMSClient({ region: 'eu-west-1', endpoint: aws.endpoint, credentials: { accessKeyId: aws.accessKeyId, secretAccessKey: aws.secretAccessKey } });
    try {
      const old = await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: Buffer.from('card 4111') }));
      assert.equal(old.KeyId, v1.arn);

      // Rotation imports version 2 as a new KMS key and moves the alias; version 1 still decrypts.
      assert.equal((await call('POST', 'keymgmt/key/payments/rotate')).status, 204);
      const rotated = (await call('GET', 'keymgmt/kms/aws/key/payments')).json.data;
      assert.deepEqual(Object.keys(rotated.versions), ['1', '2']);
      const v2 = aws.key(rotated.versions['2'])!;
      assert.equal(aws.aliasTarget(alias), v2.keyId);
      assert.ok(!v2.versions[0].equals(v1.versions[0]), 'new material for the new version');
      assert.equal((await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: Buffer.from('x') }))).KeyId, v2.arn);
      const back = await kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }));
      assert.equal(Buffer.from(back.Plaintext!).toString(), 'card 4111');

      // The provider-side rotate path does the same: version 3, alias moves again.
      assert.equal((await call('POST', 'keymgmt/kms/aws/key/payments/rotate')).status, 204);
      const v3id = (await call('GET', 'keymgmt/kms/aws/key/payments')).json.data.versions['3'];
      assert.equal(aws.aliasTarget(alias), v3id);
      assert.equal((await call('GET', 'keymgmt/key/payments')).json.data.latest_version, 3);

      // min_enabled_version disables the older KMS keys; 0 enables them again.
      assert.equal((await call('POST', 'keymgmt/key/payments', { min_enabled_version: 2 })).status, 204);
      assert.equal(v1.enabled, false);
      assert.equal(v2.enabled, true);
      await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob })), { name: 'DisabledException' });
      assert.equal((await call('POST', 'keymgmt/key/payments', { min_enabled_version: 0 })).status, 204);
      assert.equal(v1.enabled, true);

      // A distributed key cannot be deleted, nor its provider.
      await call('POST', 'keymgmt/key/payments', { deletion_allowed: true });
      const refused = await call('DELETE', 'keymgmt/key/payments');
      assert.equal(refused.status, 400);
      assert.match(refused.json.errors[0], /still distributed to: aws/);
      assert.equal((await call('DELETE', 'keymgmt/kms/aws')).status, 400);

      // Removal: alias gone, every version's key pending deletion; the key stays in Arca.
      assert.equal((await call('DELETE', 'keymgmt/kms/aws/key/payments')).status, 204);
      assert.equal(aws.aliasTarget(alias), undefined);
      for (const id of Object.values(rotated.versions) as string[]) assert.equal(aws.key(id)!.pendingDeletionDays, 7);
      assert.equal((await call('GET', 'keymgmt/kms/aws/key/payments')).status, 404);
      assert.equal((await call('LIST', 'keymgmt/key/payments/kms')).status, 404);
      assert.equal((await call('GET', 'keymgmt/key/payments')).json.data.latest_version, 3);
      assert.equal((await call('DELETE', 'keymgmt/key/payments')).status, 204);
      assert.equal((await call('DELETE', 'keymgmt/kms/aws')).status, 204);
    } finally {
      kms.destroy();
    }
  });

  test('a key rotated several times before distribution sends every version, newest current', async () => {
    await call('POST', 'keymgmt/kms/aws2', { provider: 'awskms', key_collection: 'eu-west-1', credentials: awsCredentials() });
    await call('POST', 'keymgmt/key/multi', { type: 'aes256-gcm96' });
    await call('POST', 'keymgmt/key/multi/rotate');
    await call('POST', 'keymgmt/key/multi', { min_enabled_version: 2 });
    assert.equal((await call('POST', 'keymgmt/kms/aws2/key/multi', { purpose: ['encrypt', 'decrypt'] })).status, 204);
    const d = (await call('GET', 'keymgmt/kms/aws2/key/multi')).json.data;
    assert.equal(aws.aliasTarget(`alias/arca/${d.name}`), d.versions['2']);
    assert.equal(aws.key(d.versions['1'])!.enabled, false);
    // Writing the same distribution again is a no-op; changing it is refused.
    const calls = aws.calls.length;
    assert.equal((await call('POST', 'keymgmt/kms/aws2/key/multi', { purpose: 'decrypt,encrypt' })).status, 204);
    assert.equal(aws.calls.length, calls);
    assert.equal((await call('POST', 'keymgmt/kms/aws2/key/multi', { purpose: 'encrypt' })).status, 400);
  });

  test('a provider failing during rotation: 502 that says the rotation happened; writing the distribution again catches up', async () => {
    await call('POST', 'keymgmt/kms/aws3', { provider: 'awskms', key_collection: 'eu-west-1', credentials: awsCredentials() });
    await call('POST', 'keymgmt/key/flaky', { type: 'aes256-gcm96' });
    assert.equal((await call('POST', 'keymgmt/kms/aws3/key/flaky', { purpose: 'encrypt,decrypt' })).status, 204);
    aws.failNext('deny', 1);
    const res = await call('POST', 'keymgmt/key/flaky/rotate');
    aws.clearFailures();
    assert.equal(res.status, 502, res.text);
    assert.deepEqual(res.json.errors, ['key "flaky" rotated to version 2, but updating kms "aws3" failed: keymgmt: AWS KMS CreateKey failed (AccessDeniedException); write kms/aws3/key/flaky again to retry']);
    assert.equal((await call('GET', 'keymgmt/key/flaky')).json.data.latest_version, 2);
    assert.deepEqual(Object.keys((await call('GET', 'keymgmt/kms/aws3/key/flaky')).json.data.versions), ['1']);
    assert.equal((await call('POST', 'keymgmt/kms/aws3/key/flaky', { purpose: 'encrypt,decrypt' })).status, 204);
    const d = (await call('GET', 'keymgmt/kms/aws3/key/flaky')).json.data;
    assert.deepEqual(Object.keys(d.versions), ['1', '2']);
    assert.equal(aws.aliasTarget(`alias/arca/${d.name}`), d.versions['2']);
  });

  test('wrong credentials: 502 naming the AWS error code, no distribution left behind', async () => {
    await call('POST', 'keymgmt/kms/awsbad', { provider: 'awskms', key_collection: 'eu-west-1', credentials: { ...awsCredentials(), secret_key: 'wrong' } });
    await call('POST', 'keymgmt/key/lonely', { type: 'aes256-gcm96' });
    const res = await call('POST', 'keymgmt/kms/awsbad/key/lonely', { purpose: 'encrypt' });
    assert.equal(res.status, 502, res.text);
    assert.deepEqual(res.json.errors, ['keymgmt: AWS KMS CreateKey failed (InvalidSignatureException)']);
    assert.doesNotMatch(res.text, /wrong/);
    assert.equal((await call('GET', 'keymgmt/kms/awsbad/key/lonely')).status, 404);
  });
});

describe('azurekeyvault: bring your own key', () => {
  test('an RSA key imported into Key Vault signs there; Arca\'s public key verifies', async () => {
    assert.equal((await call('POST', 'keymgmt/kms/az', { provider: 'azurekeyvault', key_collection: 'arca-kv', credentials: azureCredentials() })).status, 204);
    const read = await call('GET', 'keymgmt/kms/az');
    assert.deepEqual(read.json.data, { provider: 'azurekeyvault', key_collection: 'arca-kv' });
    assertNoSecrets(read.text);
    assert.doesNotMatch(read.text, new RegExp(azure.clientSecret));

    assert.equal((await call('POST', 'keymgmt/key/signer', { type: 'rsa-2048' })).status, 204);
    const dist = await call('POST', 'keymgmt/kms/az/key/signer', { purpose: 'sign,verify', protection: 'hsm' });
    assert.equal(dist.status, 204, dist.text);
    const d = (await call('GET', 'keymgmt/kms/az/key/signer')).json.data;
    assert.match(d.name, /^signer-\d+$/);
    const inVault = azure.key(d.name);
    assert.equal(inVault.versions.length, 1);
    assert.equal(inVault.versions[0].id, d.versions['1']);
    assert.equal(inVault.versions[0].hsm, true);
    assert.deepEqual(inVault.versions[0].keyOps, ['sign', 'verify']);

    const credential = new ClientSecretCredential(azure.tenantId, azure.clientId, azure.clientSecret, {
      authorityHost: azure.url, disableInstanceDiscovery: true, tlsOptions: { ca: readFileSync(azure.caCertFile, 'utf8') },
    } as any);
    const signWith = async (version: string, message: Buffer) => {
      const client = new CryptographyClient(`${azure.url}/keys/${d.name}/${version}`, credential, {
        disableChallengeResourceVerification: true, tlsOptions: { ca: readFileSync(azure.caCertFile, 'utf8') },
      } as any);
      return Buffer.from((await client.sign('RS256', createHash('sha256').update(message).digest())).result);
    };
    const message = Buffer.from('release 1.2.3');
    const keyRead = (await call('GET', 'keymgmt/key/signer')).json.data;
    const sig1 = await signWith(d.versions['1'], message);
    assert.equal(verify('sha256', message, keyRead.keys['1'].public_key, sig1), true);

    // Rotation imports version 2 under the same name; min_enabled_version disables version 1 there.
    assert.equal((await call('POST', 'keymgmt/key/signer/rotate')).status, 204);
    const d2 = (await call('GET', 'keymgmt/kms/az/key/signer')).json.data;
    assert.equal(inVault.versions.length, 2);
    assert.equal(inVault.versions[1].id, d2.versions['2']);
    const keyRead2 = (await call('GET', 'keymgmt/key/signer')).json.data;
    const sig2 = await signWith(d2.versions['2'], message);
    assert.equal(verify('sha256', message, keyRead2.keys['2'].public_key, sig2), true);
    assert.equal(verify('sha256', message, keyRead2.keys['1'].public_key, sig2), false);
    assert.equal((await call('POST', 'keymgmt/key/signer', { min_enabled_version: 2 })).status, 204);
    assert.equal(inVault.versions[0].enabled, false);
    await assert.rejects(signWith(d.versions['1'], message), (e: any) => e.statusCode === 403);

    assert.equal((await call('DELETE', 'keymgmt/kms/az/key/signer')).status, 204);
    assert.notEqual(inVault.deleted, undefined);
    assert.equal((await call('LIST', 'keymgmt/kms/az/key')).status, 404);
    assert.equal((await call('GET', 'keymgmt/kms/az/key/signer')).status, 404);
  });

  test('azurekeyvault refuses AES and EC keys', async () => {
    await call('POST', 'keymgmt/key/az-aes', { type: 'aes256-gcm96' });
    const res = await call('POST', 'keymgmt/kms/az/key/az-aes', { purpose: 'encrypt' });
    assert.equal(res.status, 400);
    assert.match(res.json.errors[0], /azurekeyvault does not accept aes256-gcm96 keys; it accepts rsa-2048, rsa-3072, rsa-4096/);
  });
});

describe('gcpckms: bring your own key', () => {
  let gcp: GcpKmsStandin;
  let kms: KeyManagementServiceClient;
  before(async () => {
    gcp = await startGcpKmsStandin();
    const saFile = gcp.serviceAccountFile();
    const port = Number(new URL(gcp.endpoint).port);
    kms = new KeyManagementServiceClient({ keyFilename: saFile, apiEndpoint: '127.0.0.1', port, protocol: 'http', fallback: true } as any);
    const ring = `projects/${gcp.project}/locations/${gcp.location}/keyRings/${gcp.keyRing}`;
    assert.equal((await call('POST', 'keymgmt/kms/gcp', { provider: 'gcpckms', key_collection: ring, credentials: { service_account_file: saFile, endpoint: gcp.endpoint } })).status, 204);
  });
  after(async () => {
    await kms?.close();
    await gcp?.close();
  });

  test('an AES key imported into a key ring encrypts there; rotation makes the new version primary', async () => {
    assert.equal((await call('POST', 'keymgmt/key/gaes', { type: 'aes256-gcm96' })).status, 204);
    const res = await call('POST', 'keymgmt/kms/gcp/key/gaes', { purpose: 'encrypt,decrypt', protection: 'software' });
    assert.equal(res.status, 204, res.text);
    const d = (await call('GET', 'keymgmt/kms/gcp/key/gaes')).json.data;
    const keyName = String(d.versions['1']).replace(/\/cryptoKeyVersions\/1$/, '');
    assert.equal(keyName, `projects/${gcp.project}/locations/${gcp.location}/keyRings/${gcp.keyRing}/cryptoKeys/${d.name}`);
    const held = gcp.key(keyName);
    assert.equal(held.importOnly, true);
    assert.equal(held.versions[0].state, 'ENABLED');

    const [old] = await kms.encrypt({ name: keyName, plaintext: Buffer.from('ledger') });
    assert.equal(old.name, d.versions['1']);
    assert.equal((await call('POST', 'keymgmt/key/gaes/rotate')).status, 204);
    const d2 = (await call('GET', 'keymgmt/kms/gcp/key/gaes')).json.data;
    assert.equal((await kms.encrypt({ name: keyName, plaintext: Buffer.from('x') }))[0].name, d2.versions['2']);
    assert.equal(Buffer.from((await kms.decrypt({ name: keyName, ciphertext: old.ciphertext }))[0].plaintext as Uint8Array).toString(), 'ledger');
    assert.equal((await call('POST', 'keymgmt/key/gaes', { min_enabled_version: 2 })).status, 204);
    assert.equal(held.versions[0].state, 'DISABLED');
    await assert.rejects(kms.decrypt({ name: keyName, ciphertext: old.ciphertext }));

    assert.equal((await call('DELETE', 'keymgmt/kms/gcp/key/gaes')).status, 204);
    assert.deepEqual(held.versions.map((v) => v.state), ['DESTROY_SCHEDULED', 'DESTROY_SCHEDULED']);
  });

  test('an RSA signing key signs in Cloud KMS and verifies with Arca\'s public key; purpose rules', async () => {
    await call('POST', 'keymgmt/key/grsa', { type: 'rsa-2048' });
    const both = await call('POST', 'keymgmt/kms/gcp/key/grsa', { purpose: 'sign,decrypt' });
    assert.equal(both.status, 400);
    assert.match(both.json.errors[0], /"sign" .* or for "decrypt"/);
    await call('POST', 'keymgmt/key/gp521', { type: 'ecdsa-p521' });
    assert.match((await call('POST', 'keymgmt/kms/gcp/key/gp521', { purpose: 'sign' })).json.errors[0], /gcpckms does not accept ecdsa-p521/);

    assert.equal((await call('POST', 'keymgmt/kms/gcp/key/grsa', { purpose: 'sign,verify', protection: 'hsm' })).status, 204);
    const d = (await call('GET', 'keymgmt/kms/gcp/key/grsa')).json.data;
    const message = Buffer.from('build 42');
    const [out] = await kms.asymmetricSign({ name: d.versions['1'], digest: { sha256: createHash('sha256').update(message).digest() } });
    const publicKey = (await call('GET', 'keymgmt/key/grsa')).json.data.keys['1'].public_key;
    assert.equal(verify('sha256', message, publicKey, Buffer.from(out.signature as Uint8Array)), true);
    assert.equal(gcp.key(String(d.versions['1']).replace(/\/cryptoKeyVersions\/1$/, '')).protectionLevel, 'HSM');
  });
});
