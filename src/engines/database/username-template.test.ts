import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { parseUsernameTemplate } from './username-template.js';
import { PLUGINS } from './plugins.js';

const data = { DisplayName: 'token-my-long-display', RoleName: 'readonly-role' };

test('the PostgreSQL default renders v-<display 8>-<role 8>-<random 20>-<unix time>, at most 63 chars', () => {
  const name = parseUsernameTemplate(PLUGINS['postgresql-database-plugin'].defaultUsernameTemplate).render(data);
  assert.match(name, /^v-token-my-readonly-[A-Za-z0-9]{20}-\d{10}$/);
  assert.ok(name.length <= 63);
});

test('the MySQL defaults truncate to 32 and 16 characters', () => {
  const modern = parseUsernameTemplate(PLUGINS['mysql-database-plugin'].defaultUsernameTemplate).render(data);
  assert.equal(modern.length, 32);
  assert.ok(modern.startsWith('v-token-my-l-readonly-r-'));
  const legacy = parseUsernameTemplate(PLUGINS['mysql-legacy-database-plugin'].defaultUsernameTemplate).render(data);
  assert.equal(legacy.length, 16);
  assert.ok(legacy.startsWith('v-read-'));
});

test('functions, literals, pipelines and parentheses', () => {
  const t = parseUsernameTemplate('app_{{ .RoleName | replace "-" "_" | uppercase }}_{{ (printf "%s.%s" "a" .DisplayName) | truncate 7 }}{{ 42 }}');
  assert.equal(t.render(data), 'app_READONLY_ROLE_a.token42');
  assert.equal(parseUsernameTemplate('{{ "ABC" | lowercase }}-{{ sha256 "x" | truncate 6 }}').render(data), 'abc-2d7116');
  assert.equal(parseUsernameTemplate('{{ "abcdefghijklmnop" | truncate_sha256 12 }}').render(data).length, 12);
  assert.match(parseUsernameTemplate('{{ uuid }}').render(data), /^[0-9a-f-]{36}$/);
});

test('rejects unknown functions, fields and malformed actions', () => {
  assert.throws(() => parseUsernameTemplate('{{ nope 3 }}'), InvalidRequest);
  assert.throws(() => parseUsernameTemplate('{{ .RoleName '), InvalidRequest);
  assert.throws(() => parseUsernameTemplate('{{ (random 3 }}'), InvalidRequest);
  assert.throws(() => parseUsernameTemplate('{{ .Missing }}').render(data), InvalidRequest);
  assert.throws(() => parseUsernameTemplate('{{ truncate "x" }}').render(data), InvalidRequest);
});
