/**
 * Opt-in: AWS iam auth against the real STS (https://sts.amazonaws.com, us-east-1). Runs only
 * with ARCA_LIVE_AWS=1 and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for
 * temporary credentials) in the environment; otherwise it skips with one line, under CI=true
 * too (no credentials there by design).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer } from './support/server.js';
import { signGetCallerIdentity } from './standins/aws-sts-standin.js';

const accessKeyId = process.env.AWS_ACCESS_KEY_ID ?? '';
const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY ?? '';
const sessionToken = process.env.AWS_SESSION_TOKEN || undefined;
const skip = process.env.ARCA_LIVE_AWS === '1' && accessKeyId && secretAccessKey ? false
  : 'auth-aws live: skipped, set ARCA_LIVE_AWS=1 with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to run against the real STS (skips under CI too)';
if (skip) console.log(skip);

test('login with a request signed by real AWS credentials', { skip }, async () => {
  const dev = await startDevServer();
  try {
    const { api } = dev;
    assert.equal((await api.call('POST', 'sys/auth/aws', { type: 'aws' })).status, 204);
    assert.equal((await api.call('POST', 'auth/aws/config/client', { iam_server_id_header_value: 'arca-live-test' })).status, 204);
    assert.equal((await api.call('POST', 'auth/aws/role/live', { bound_iam_principal_arn: 'arn:*:iam::*:*', token_policies: 'live' })).status, 204);
    const credentials = { accessKeyId, secretAccessKey, sessionToken };
    const login = await signGetCallerIdentity({ endpoint: 'https://sts.amazonaws.com/', region: 'us-east-1', credentials, serverId: 'arca-live-test' });
    const res = await api.call('POST', 'auth/aws/login', { role: 'live', ...login }, { 'X-Vault-Token': '' });
    assert.equal(res.status, 200, res.text);
    assert.match(res.json.auth.metadata.account_id, /^\d{12}$/);
    assert.match(res.json.auth.metadata.client_arn, /^arn:aws[a-z-]*:(iam|sts)::\d{12}:/);
    const forged = await signGetCallerIdentity({ endpoint: 'https://sts.amazonaws.com/', region: 'us-east-1', credentials: { ...credentials, secretAccessKey: 'wrong' }, serverId: 'arca-live-test' });
    const refused = await api.call('POST', 'auth/aws/login', { role: 'live', ...forged }, { 'X-Vault-Token': '' });
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.json.errors[0], /SignatureDoesNotMatch|InvalidClientTokenId/);
  } finally {
    await dev.close();
  }
});
