/** Identity-token templates: JSON values for each parameter, empty values, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTemplate, renderTemplate, TemplateError, templateClaims, validateTemplate, type TemplateInput } from './template.js';

const input: TemplateInput = {
  entity: { id: 'e-1', name: 'alice', metadata: { team: 'core', 'quote"d': 'x' } },
  aliases: [{ id: 'a-1', name: 'alice-login', mountAccessor: 'auth_userpass_1', metadata: { k: 'v' }, customMetadata: { c: 'd' } }],
  groups: [{ id: 'g-1', name: 'eng' }, { id: 'g-2', name: 'all' }],
  now: 1000,
};

test('each parameter becomes its JSON value', () => {
  const claims = templateClaims(`{
    "id": {{identity.entity.id}}, "name": {{ identity.entity.name }}, "md": {{identity.entity.metadata}},
    "team": {{identity.entity.metadata.team}}, "none": {{identity.entity.metadata.none}},
    "gids": {{identity.entity.groups.ids}}, "gnames": {{identity.entity.groups.names}},
    "aid": {{identity.entity.aliases.auth_userpass_1.id}}, "aname": {{identity.entity.aliases.auth_userpass_1.name}},
    "amd": {{identity.entity.aliases.auth_userpass_1.metadata}}, "ak": {{identity.entity.aliases.auth_userpass_1.metadata.k}},
    "acm": {{identity.entity.aliases.auth_userpass_1.custom_metadata.c}}, "other": {{identity.entity.aliases.auth_other.name}},
    "othermd": {{identity.entity.aliases.auth_other.metadata}},
    "now": {{time.now}}, "plus": {{time.now.plus.1h}}, "minus": {{time.now.minus.10s}}
  }`, input);
  assert.deepEqual(claims, {
    id: 'e-1', name: 'alice', md: { team: 'core', 'quote"d': 'x' }, team: 'core', none: '',
    gids: ['g-1', 'g-2'], gnames: ['eng', 'all'], aid: 'a-1', aname: 'alice-login', amd: { k: 'v' }, ak: 'v', acm: 'd',
    other: '', othermd: {}, now: 1000, plus: 4600, minus: 990,
  });
});

test('values are JSON-escaped, so entity data cannot inject claims', () => {
  const hostile = { ...input, entity: { ...input.entity, name: 'x", "admin": true, "y": "' } };
  assert.deepEqual(templateClaims('{"n": {{identity.entity.name}}}', hostile), { n: 'x", "admin": true, "y": "' });
});

test('errors: unknown parameters, unbalanced braces, non-objects, reserved claims', () => {
  assert.throws(() => renderTemplate('{{identity.entity.secret}}', input), TemplateError);
  assert.throws(() => renderTemplate('{{identity.entity.id', input), /unbalanced/);
  assert.throws(() => renderTemplate('identity.entity.id}}', input), /unbalanced/);
  assert.throws(() => renderTemplate('{{time.now.plus.soon}}', input), /invalid duration/);
  assert.throws(() => templateClaims('[1]', input), /must be a JSON object/);
  assert.throws(() => validateTemplate('{"exp": 1}'), /top level key "exp" not allowed/);
  assert.doesNotThrow(() => validateTemplate('{"groups": {{identity.entity.groups.names}}}'));
  assert.deepEqual(templateClaims('', input), {});
});

test('templates may be given in base64', () => {
  assert.equal(decodeTemplate(Buffer.from('{"a": 1}').toString('base64')), '{"a": 1}');
  assert.equal(decodeTemplate('{"a": 1}'), '{"a": 1}');
});
