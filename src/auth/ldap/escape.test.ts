import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cnOf, escapeDnValue, escapeFilterValue, renderTemplate } from './escape.js';

test('filter values escape RFC 4515 metacharacters', () => {
  assert.equal(escapeFilterValue('a*b(c)d\\e\0'), 'a\\2ab\\28c\\29d\\5ce\\00');
  assert.equal(renderTemplate('({{.UserAttr}}={{.Username}})', { UserAttr: 'uid', Username: escapeFilterValue('x)(uid=*') }), '(uid=x\\29\\28uid=\\2a)');
});

test('DN values escape RFC 4514 specials and edge spaces', () => {
  assert.equal(escapeDnValue('a,b+c"d\\e<f>g;h=i'), 'a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i');
  assert.equal(escapeDnValue(' lead'), '\\ lead');
  assert.equal(escapeDnValue('#x'), '\\#x');
  assert.equal(escapeDnValue('trail '), 'trail\\ ');
});

test('group names come from the first CN of a DN, or the value itself', () => {
  assert.equal(cnOf('cn=Engineers,ou=groups,dc=example,dc=org'), 'Engineers');
  assert.equal(cnOf('CN=Dev\\, Ops,OU=x'), 'Dev, Ops');
  assert.equal(cnOf('ou=x,cn=inner,dc=y'), 'inner');
  assert.equal(cnOf('ops'), 'ops');
});
