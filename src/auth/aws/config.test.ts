import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultClientConfig, stsEndpoint, stsRegion } from './config.js';

test('the STS endpoint and region default to the global endpoint in us-east-1', () => {
  assert.equal(stsEndpoint(defaultClientConfig()).href, 'https://sts.amazonaws.com/');
  assert.equal(stsRegion(defaultClientConfig()), 'us-east-1');
});

test('a regional endpoint implies its region unless sts_region says otherwise', () => {
  const cfg = { ...defaultClientConfig(), sts_endpoint: 'https://sts.eu-west-1.amazonaws.com' };
  assert.equal(stsRegion(cfg), 'eu-west-1');
  assert.equal(stsRegion({ ...cfg, sts_endpoint: 'https://sts.cn-north-1.amazonaws.com.cn' }), 'cn-north-1');
  assert.equal(stsRegion({ ...cfg, sts_region: 'eu-central-1' }), 'eu-central-1');
  assert.equal(stsRegion({ ...cfg, sts_endpoint: 'https://sts.eu-west-1.amazonaws.com.evil.example' }), 'us-east-1');
  assert.equal(stsRegion({ ...cfg, sts_endpoint: 'https://vpce-0123.sts.us-west-2.vpce.amazonaws.com' }), 'us-east-1');
});
