import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError } from './flags.js';
import { columns, formatValue, humanDuration, keyValueTable, mapTable, parseFormat, secretField, secretTable } from './format.js';

test('key/value tables align columns with four spaces under a dashed header', () => {
  assert.equal(keyValueTable([['Seal Type', 'shamir'], ['Initialized', 'true']]), [
    'Key            Value',
    '---            -----',
    'Seal Type      shamir',
    'Initialized    true',
  ].join('\n'));
});

test('empty cells print n/a, as columnize does', () => {
  assert.equal(columns([['Unseal Nonce', ''], ['Sealed', 'true']]), 'Unseal Nonce    n/a\nSealed          true');
});

test('values print like Go %v and durations like Vault', () => {
  assert.equal(formatValue(['a', 'b']), '[a b]');
  assert.equal(formatValue({ z: 1, a: 'x' }), 'map[a:x z:1]');
  assert.equal(formatValue(null), '<nil>');
  assert.equal(humanDuration(2764800), '768h');
  assert.equal(humanDuration(5400), '1h30m');
  assert.equal(humanDuration(3661), '1h1m1s');
  assert.equal(humanDuration(60), '1m');
  assert.equal(humanDuration(0), '0s');
  assert.equal(mapTable({ ttl: 3600, b: true }), 'Key    Value\n---    -----\nb      true\nttl    1h');
  assert.equal(mapTable({}), '');
});

test('secrets: refresh_interval for lease without id, auth rows, sorted data', () => {
  const table = secretTable({ lease_duration: 2764800, lease_id: '', data: { zeta: 'z', alpha: 'a' } });
  assert.equal(table, 'Key                 Value\n---                 -----\nrefresh_interval    768h\nalpha               a\nzeta                z');
  const login = secretTable({
    auth: { client_token: 'hvs.X', accessor: 'acc', lease_duration: 0, renewable: false, policies: ['root'], token_policies: ['root'] },
  });
  assert.match(login, /^token_duration\s+∞$/m);
  assert.match(login, /^token_policies\s+\["root"\]$/m);
  assert.match(login, /^identity_policies\s+\[\]$/m);
});

test('-field looks in data, then auth and wrap pseudo-fields', () => {
  const secret = { data: { password: 'p' }, auth: { client_token: 'hvs.T', accessor: 'a', lease_duration: 60, renewable: true } };
  assert.equal(secretField(secret, 'password'), 'p');
  assert.equal(secretField(secret, 'token'), 'hvs.T');
  assert.equal(secretField(secret, 'missing'), undefined);
});

test('-format accepts table and json only', () => {
  assert.equal(parseFormat('JSON'), 'json');
  assert.equal(parseFormat(''), 'table');
  assert.throws(() => parseFormat('yaml'), new FlagError('Invalid output format: yaml'));
});
