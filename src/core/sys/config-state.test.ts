import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultDevConfig } from '../../config/index.js';
import type { ServerConfig } from '../../config/types.js';
import { sanitizedConfig } from './config-state.js';

const SECRETS = ['hunter2-db-password', '98765-hsm-pin', 'AKIA-secret-key-id', 'kms-secret-access-key'];

const config: ServerConfig = {
  ...defaultDevConfig('127.0.0.1:8200'),
  storage: { type: 'postgresql', options: { connection_url: `postgres://arca:${SECRETS[0]}@db:5432/arca`, table: 'vault_kv_store' } },
  seals: [
    { type: 'pkcs11', disabled: false, options: { lib: '/usr/lib/softhsm/libsofthsm2.so', pin: SECRETS[1], key_label: 'arca' } },
    { type: 'awskms', disabled: true, options: { access_key: SECRETS[2], secret_key: SECRETS[3], kms_key_id: 'alias/arca' } },
  ],
  entropy: { mode: 'augmentation', sealType: 'pkcs11' },
  apiAddr: 'https://arca.example:8200',
  clusterName: 'prod',
  logLevel: 'debug',
  telemetry: { unauthenticatedMetricsAccess: false, prometheusRetentionTimeSeconds: 86400, disableHostname: true },
};

test('sanitized config: Vault\'s keys, listener settings, seal and storage types only', () => {
  const out = sanitizedConfig(config);
  const listener = config.listeners[0];
  assert.deepEqual(out, {
    api_addr: 'https://arca.example:8200',
    cluster_addr: '',
    cluster_name: 'prod',
    default_lease_ttl: config.defaultLeaseTtlSeconds,
    max_lease_ttl: config.maxLeaseTtlSeconds,
    disable_mlock: config.disableMlock,
    enable_ui: config.ui,
    log_level: 'debug',
    log_format: config.logFormat,
    listeners: [{
      type: 'tcp',
      config: {
        address: listener.address, tls_disable: listener.tlsDisable, tls_min_version: listener.tlsMinVersion,
        max_request_size: listener.maxRequestSize,
        ...(listener.tlsCertFile !== undefined ? { tls_cert_file: listener.tlsCertFile } : {}),
        ...(listener.tlsKeyFile !== undefined ? { tls_key_file: listener.tlsKeyFile } : {}),
        ...(listener.maxRequestDurationSeconds !== undefined ? { max_request_duration: listener.maxRequestDurationSeconds } : {}),
      },
    }],
    seals: [{ type: 'pkcs11', disabled: false }, { type: 'awskms', disabled: true }],
    storage: { type: 'postgresql', cluster_addr: '', redirect_addr: 'https://arca.example:8200' },
    telemetry: { unauthenticated_metrics_access: false, prometheus_retention_time: 86400, disable_hostname: true },
  });
});

test('sanitized config never carries storage or seal parameters', () => {
  const text = JSON.stringify(sanitizedConfig(config));
  for (const secret of SECRETS) assert.ok(!text.includes(secret), secret);
  for (const key of ['connection_url', 'pin', 'access_key', 'secret_key', 'kms_key_id', 'lib', 'options']) {
    assert.ok(!text.includes(`"${key}"`), key);
  }
});

test('no seal stanza reads as shamir', () => {
  assert.deepEqual(sanitizedConfig({ ...config, seals: [] }).seals, [{ type: 'shamir', disabled: false }]);
});
