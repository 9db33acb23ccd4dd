import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { renderConnectionUrl } from './connection.js';
import { parseMysqlDsn } from './mysql.js';
import { formatExpiration, renderStatements, statementList } from './statements.js';
import { roleAllowed, type ConnectionConfig } from './store.js';

test('statements are split on ; before substitution, so a password cannot split a query', () => {
  const out = renderStatements([`CREATE ROLE "{{name}}" PASSWORD '{{password}}'; GRANT x TO "{{ name }}";`, ' ; '], { name: 'u1', password: 'a;b' });
  assert.deepEqual(out, [`CREATE ROLE "u1" PASSWORD 'a;b'`, 'GRANT x TO "u1"']);
  const block = 'DO $$ BEGIN PERFORM 1; PERFORM 2; END $$';
  assert.deepEqual(renderStatements([block], {}), [block]);
  assert.deepEqual(renderStatements(['ALTER ROLE "{{username}}" VALID UNTIL \'{{expiration}}\' {{other}}'], { username: 'r', expiration: 'e' }), [`ALTER ROLE "r" VALID UNTIL 'e' {{other}}`]);
});

test("{{expiration}} uses Vault's layout in UTC", () => {
  assert.equal(formatExpiration(new Date('2024-03-05T07:08:09.500Z')), '2024-03-05 07:08:09+0000');
});

test('statement fields: a string is one statement (commas are SQL), a list is several', () => {
  assert.deepEqual(statementList('GRANT SELECT, INSERT ON t TO x', 'f'), ['GRANT SELECT, INSERT ON t TO x']);
  assert.deepEqual(statementList(['a', ' ', 'b'], 'f'), ['a', 'b']);
  assert.deepEqual(statementList('', 'f'), []);
  assert.equal(statementList(undefined, 'f'), undefined);
  assert.throws(() => statementList(3, 'f'), InvalidRequest);
});

test('connection URLs: credentials are URL-encoded into the template and decoded by the DSN parser', () => {
  const url = renderConnectionUrl('{{username}}:{{password}}@tcp(db.local:3307)/app?tls=false', 'ad@min', 'p/w:@x%');
  assert.deepEqual(parseMysqlDsn(url), { user: 'ad@min', password: 'p/w:@x%', database: 'app', host: 'db.local', port: 3307 });
  assert.deepEqual(parseMysqlDsn('root:@tcp(127.0.0.1:3306)/'), { user: 'root', password: '', database: undefined, host: '127.0.0.1', port: 3306 });
  assert.deepEqual(parseMysqlDsn('u:p@unix(/run/mysqld.sock)/db'), { user: 'u', password: 'p', database: 'db', socketPath: '/run/mysqld.sock' });
  assert.deepEqual(parseMysqlDsn('mysql://u:p%2F@h:1234/d'), { host: 'h', port: 1234, user: 'u', password: 'p/', database: 'd' });
  assert.throws(() => parseMysqlDsn('no-slash-here'), InvalidRequest);
  assert.equal(renderConnectionUrl('postgresql://{{username}}:{{password}}@h/db', 'a b', 'p@ss'), 'postgresql://a%20b:p%40ss@h/db');
});

test('allowed_roles: exact names, "*" and globs', () => {
  const config = { allowed_roles: ['app', 'ro-*'] } as ConnectionConfig;
  assert.equal(roleAllowed(config, 'app'), true);
  assert.equal(roleAllowed(config, 'ro-reports'), true);
  assert.equal(roleAllowed(config, 'apps'), false);
  assert.equal(roleAllowed({ allowed_roles: [] } as unknown as ConnectionConfig, 'app'), false);
  assert.equal(roleAllowed({ allowed_roles: ['*'] } as unknown as ConnectionConfig, 'x'), true);
});
