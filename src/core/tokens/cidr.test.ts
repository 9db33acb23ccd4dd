import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCidr, remoteAddressAllowed, validCidrs } from './cidr.js';

test('no bound CIDRs allows every address', () => {
  assert.equal(remoteAddressAllowed('203.0.113.9', []), true);
});

test('IPv4 ranges, single hosts and IPv4-mapped IPv6 peers', () => {
  assert.equal(remoteAddressAllowed('10.1.2.3', ['10.0.0.0/8']), true);
  assert.equal(remoteAddressAllowed('11.1.2.3', ['10.0.0.0/8']), false);
  assert.equal(remoteAddressAllowed('::ffff:127.0.0.1', ['127.0.0.0/8']), true);
  assert.equal(remoteAddressAllowed('127.0.0.1', ['127.0.0.1']), true);
  assert.equal(remoteAddressAllowed('127.0.0.2', ['127.0.0.1']), false);
});

test('IPv6 ranges; garbage addresses are refused', () => {
  assert.equal(remoteAddressAllowed('fd00::1', ['fd00::/8']), true);
  assert.equal(remoteAddressAllowed('fe80::1', ['fd00::/8']), false);
  assert.equal(remoteAddressAllowed('', ['0.0.0.0/0']), false);
});

test('CIDR parsing rejects malformed blocks', () => {
  assert.deepEqual(parseCidr('10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 'ipv4' });
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseCidr('nope/8'), undefined);
  assert.equal(parseCidr('10.0.0.0/8/1'), undefined);
  assert.equal(validCidrs(['10.0.0.0/8', '::1']), true);
  assert.equal(validCidrs(['10.0.0.0/8', 'x']), false);
});
