import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveCredentials, type KubernetesConfig } from './config.js';

const base: KubernetesConfig = { v: 1, kubernetes_host: 'https://k8s', kubernetes_ca_cert: '', token_reviewer_jwt: '', disable_local_ca_jwt: false };

test('pod-local CA and token fill unset values unless disable_local_ca_jwt', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-sa-'));
  try {
    writeFileSync(join(dir, 'ca.crt'), 'LOCAL-CA\n');
    writeFileSync(join(dir, 'token'), 'local.jwt.token\n');
    assert.deepEqual(await effectiveCredentials(base, dir), { ca: 'LOCAL-CA', reviewerJwt: 'local.jwt.token' });
    assert.deepEqual(await effectiveCredentials({ ...base, kubernetes_ca_cert: 'CFG-CA', token_reviewer_jwt: 'cfg.jwt.x' }, dir), { ca: 'CFG-CA', reviewerJwt: 'cfg.jwt.x' });
    assert.deepEqual(await effectiveCredentials({ ...base, disable_local_ca_jwt: true }, dir), { ca: '', reviewerJwt: '' });
    assert.deepEqual(await effectiveCredentials(base, join(dir, 'missing')), { ca: '', reviewerJwt: '' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
