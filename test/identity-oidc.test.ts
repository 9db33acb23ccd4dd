/**
 * Identity tokens over HTTP (identity/oidc/*): a userpass user's entity gets a signed ID token
 * that verifies with jose against the unauthenticated JWKS; template claims; introspection
 * (active, expired, rotated-out, deleted key); rotation keeps the retired public key until its
 * verification TTL; ACL refusals; Vault-shaped 400s.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { startDevServer, apiClient, type DevServer, type Api } from './support/server.js';

let dev: DevServer;
let root: Api;
let alice: Api;
let anonymous: Api;
let aliceEntity: string;
let accessor: string;
let issuer: string;

const POLICY = `
path "identity/oidc/token/*" { capabilities = ["read"] }
path "identity/oidc/token/forbidden" { capabilities = ["deny"] }
path "identity/oidc/introspect" { capabilities = ["update"] }
`;

async function ok(api: Api, method: string, path: string, body?: unknown): Promise<any> {
  const res = await api.call(method, path, body);
  assert.ok(res.status === 200 || res.status === 204, `${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

async function jwks(): Promise<JSONWebKeySet> {
  const res = await anonymous.call('GET', 'identity/oidc/.well-known/keys');
  assert.equal(res.status, 200, res.text);
  return res.json;
}

async function idToken(role: string): Promise<{ token: string; client_id: string; ttl: number }> {
  return (await ok(alice, 'GET', `identity/oidc/token/${role}`)).data;
}

async function introspect(token: string, clientId?: string): Promise<{ active: boolean; error?: string }> {
  const res = await alice.call('POST', 'identity/oidc/introspect', { token, ...(clientId ? { client_id: clientId } : {}) });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

function kidsOf(set: JSONWebKeySet): string[] {
  return set.keys.map((k) => k.kid!);
}

before(async () => {
  dev = await startDevServer();
  root = dev.api;
  anonymous = apiClient(root.url);
  issuer = `${root.url}/v1/identity/oidc`;
  await ok(root, 'POST', 'sys/auth/userpass', { type: 'userpass' });
  accessor = (await ok(root, 'GET', 'sys/auth')).data['userpass/'].accessor;
  await ok(root, 'PUT', 'sys/policies/acl/oidc-user', { policy: POLICY });
  await ok(root, 'POST', 'auth/userpass/users/alice', { password: 'pw-alice', policies: 'oidc-user' });
  const login = await ok(anonymous, 'POST', 'auth/userpass/login/alice', { password: 'pw-alice' });
  alice = apiClient(root.url, login.auth.client_token);
  aliceEntity = login.auth.entity_id;
  assert.ok(aliceEntity, 'userpass login made an entity');
  await ok(root, 'POST', `identity/entity/id/${aliceEntity}`, { metadata: { team: 'core' } });
  await ok(root, 'POST', 'identity/group', { name: 'engineers', member_entity_ids: [aliceEntity] });
  const config = await root.call('POST', 'identity/oidc/config', { issuer: root.url });
  assert.equal(config.status, 200, config.text);
  assert.match(config.json.warnings[0], /issuer/);
});

after(async () => { await dev?.close(); });

test('a userpass entity gets an ID token that verifies against the unauthenticated JWKS, with its template claims', async () => {
  await ok(root, 'POST', 'identity/oidc/key/main', { algorithm: 'ES256', allowed_client_ids: '*', rotation_period: '1h', verification_ttl: '1h' });
  const template = `{
    "entity": {{identity.entity.name}}, "eid": {{identity.entity.id}}, "team": {{identity.entity.metadata.team}},
    "missing": {{identity.entity.metadata.nope}}, "groups": {{identity.entity.groups.names}},
    "login": {{identity.entity.aliases.${accessor}.name}}, "nbf": {{time.now}}
  }`;
  await ok(root, 'POST', 'identity/oidc/role/app', { key: 'main', ttl: '30m', template });

  const issued = await idToken('app');
  assert.equal(issued.ttl, 1800);
  assert.equal(issued.client_id.length, 26);
  const discovery = await anonymous.call('GET', 'identity/oidc/.well-known/openid-configuration');
  assert.equal(discovery.status, 200);
  assert.equal(discovery.json.request_id, undefined, 'discovery is bare JSON, not an envelope');
  assert.equal(discovery.json.issuer, issuer);
  assert.equal(discovery.json.jwks_uri, `${issuer}/.well-known/keys`);
  assert.deepEqual(discovery.json.id_token_signing_alg_values_supported, ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA']);

  const { payload, protectedHeader } = await jwtVerify(issued.token, createLocalJWKSet(await jwks()), { issuer, audience: issued.client_id });
  assert.equal(protectedHeader.alg, 'ES256');
  assert.equal(payload.sub, aliceEntity);
  assert.equal(payload.aud, issued.client_id);
  assert.equal(payload.namespace, 'root');
  assert.equal(payload.exp! - payload.iat!, 1800);
  const entity = (await ok(root, 'GET', `identity/entity/id/${aliceEntity}`)).data;
  assert.equal(payload.entity, entity.name);
  assert.equal(payload.eid, aliceEntity);
  assert.equal(payload.team, 'core');
  assert.equal(payload.missing, '');
  assert.deepEqual(payload.groups, ['engineers']);
  assert.equal(payload.login, 'alice');
  assert.equal(payload.nbf, payload.iat);

  assert.deepEqual(await introspect(issued.token), { active: true });
  assert.deepEqual(await introspect(issued.token, issued.client_id), { active: true });
  const wrongAudience = await introspect(issued.token, 'someone-else');
  assert.equal(wrongAudience.active, false);
  assert.match(wrongAudience.error!, /^error validating claims/);
  assert.equal((await introspect('not.a.jwt')).active, false);
  const tampered = issued.token.slice(0, -4) + (issued.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.deepEqual(await introspect(tampered), { active: false, error: 'unable to validate the token signature' });
});

test('other algorithms, a base64 template and the lazily made default key', async () => {
  const template = Buffer.from('{"who": {{identity.entity.name}}}').toString('base64');
  for (const algorithm of ['EdDSA', 'ES512']) {
    await ok(root, 'POST', `identity/oidc/key/k-${algorithm}`, { algorithm, allowed_client_ids: '*' });
    await ok(root, 'POST', `identity/oidc/role/r-${algorithm}`, { key: `k-${algorithm}`, template });
    const issued = await idToken(`r-${algorithm}`);
    assert.equal(issued.ttl, 86400);
    const { payload, protectedHeader } = await jwtVerify(issued.token, createLocalJWKSet(await jwks()), { issuer, audience: issued.client_id });
    assert.equal(protectedHeader.alg, algorithm);
    assert.equal(typeof payload.who, 'string');
  }
  assert.equal((await ok(root, 'GET', 'identity/oidc/role/r-EdDSA')).data.template, '{"who": {{identity.entity.name}}}');

  await ok(root, 'POST', 'identity/oidc/role/uses-default', { key: 'default', client_id: 'my-client' });
  const key = (await ok(root, 'GET', 'identity/oidc/key/default')).data;
  assert.deepEqual(key, { algorithm: 'RS256', allowed_client_ids: ['*'], rotation_period: 86400, verification_ttl: 86400 });
  const issued = await idToken('uses-default');
  assert.equal(issued.client_id, 'my-client');
  const { protectedHeader } = await jwtVerify(issued.token, createLocalJWKSet(await jwks()), { issuer, audience: 'my-client' });
  assert.equal(protectedHeader.alg, 'RS256');
  const refused = await root.call('DELETE', 'identity/oidc/key/default');
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.json.errors, ['deletion of key "default" not allowed']);
});

test('rotation: the rotated-out public key stays in the JWKS until its verification TTL', async () => {
  await ok(root, 'POST', 'identity/oidc/key/rot', { algorithm: 'ES256', allowed_client_ids: '*', rotation_period: '1h', verification_ttl: '2h' });
  await ok(root, 'POST', 'identity/oidc/role/rot', { key: 'rot', ttl: '1h' });
  const first = await idToken('rot');
  const kid1 = decodeProtectedHeader(first.token).kid!;

  await ok(root, 'POST', 'identity/oidc/key/rot/rotate');
  const second = await idToken('rot');
  const kid2 = decodeProtectedHeader(second.token).kid!;
  assert.notEqual(kid2, kid1);
  const afterRotation = await jwks();
  assert.ok(kidsOf(afterRotation).includes(kid1), 'the retired key is still published');
  assert.ok(kidsOf(afterRotation).includes(kid2));
  await jwtVerify(first.token, createLocalJWKSet(afterRotation), { issuer });
  assert.deepEqual(await introspect(first.token), { active: true });

  // A rotation with verification_ttl 0 retires kid2 at once; kid1 keeps its 2h.
  await ok(root, 'POST', 'identity/oidc/key/rot/rotate', { verification_ttl: 0 });
  const afterSecond = await jwks();
  assert.ok(!kidsOf(afterSecond).includes(kid2));
  assert.ok(kidsOf(afterSecond).includes(kid1));
  await assert.rejects(jwtVerify(second.token, createLocalJWKSet(afterSecond), { issuer }));
  assert.deepEqual(await introspect(second.token), { active: false, error: 'unable to validate the token signature' });
  assert.deepEqual(await introspect(first.token), { active: true });
});

test('introspection: expired tokens and tokens of a deleted key are inactive', async () => {
  await ok(root, 'POST', 'identity/oidc/key/short', { algorithm: 'ES256', allowed_client_ids: '*' });
  await ok(root, 'POST', 'identity/oidc/role/short', { key: 'short', ttl: 1 });
  const issued = await idToken('short');
  const { payload } = await jwtVerify(issued.token, createLocalJWKSet(await jwks()), { issuer });
  // Wait until the token's exp is behind us (a lower bound, not a timing assertion).
  await new Promise((r) => setTimeout(r, payload.exp! * 1000 - Date.now() + 1100));
  const expired = await introspect(issued.token);
  assert.equal(expired.active, false);
  assert.match(expired.error!, /^error validating claims: .*exp/);

  await ok(root, 'POST', 'identity/oidc/key/doomed', { algorithm: 'ES256', allowed_client_ids: '*' });
  await ok(root, 'POST', 'identity/oidc/role/doomed', { key: 'doomed' });
  await ok(root, 'POST', 'identity/oidc/role/doomed-too', { key: 'doomed' });
  const signed = await idToken('doomed');
  assert.deepEqual(await introspect(signed.token), { active: true });
  const inUse = await root.call('DELETE', 'identity/oidc/key/doomed');
  assert.equal(inUse.status, 400);
  assert.deepEqual(inUse.json.errors, ['unable to delete key "doomed" because it is currently referenced by these roles: doomed, doomed-too']);
  await ok(root, 'DELETE', 'identity/oidc/role/doomed');
  await ok(root, 'DELETE', 'identity/oidc/role/doomed-too');
  assert.equal((await root.call('GET', 'identity/oidc/role/doomed')).status, 404);
  await ok(root, 'DELETE', 'identity/oidc/key/doomed');
  assert.equal((await root.call('GET', 'identity/oidc/key/doomed')).status, 404);
  assert.ok(!kidsOf(await jwks()).includes(decodeProtectedHeader(signed.token).kid!));
  assert.deepEqual(await introspect(signed.token), { active: false, error: 'unable to validate the token signature' });
});

test('introspection checks the entity: disabled, then deleted', async () => {
  await ok(root, 'POST', 'auth/userpass/users/carol', { password: 'pw-carol', policies: 'oidc-user' });
  const login = await ok(anonymous, 'POST', 'auth/userpass/login/carol', { password: 'pw-carol' });
  const carol = apiClient(root.url, login.auth.client_token);
  const issued = (await ok(carol, 'GET', 'identity/oidc/token/app')).data;
  assert.deepEqual(await introspect(issued.token), { active: true });
  await ok(root, 'POST', `identity/entity/id/${login.auth.entity_id}`, { disabled: true });
  assert.deepEqual(await introspect(issued.token), { active: false, error: 'entity is disabled' });
  await ok(root, 'DELETE', `identity/entity/id/${login.auth.entity_id}`);
  assert.deepEqual(await introspect(issued.token), { active: false, error: 'entity was not found' });
});

test('token issue needs an entity, a known role and a key that allows the role', async () => {
  const noEntity = await root.call('GET', 'identity/oidc/token/app');
  assert.equal(noEntity.status, 400);
  assert.deepEqual(noEntity.json.errors, ["no entity associated with the request's token"]);
  const unknown = await alice.call('GET', 'identity/oidc/token/nope');
  assert.equal(unknown.status, 400);
  assert.deepEqual(unknown.json.errors, ['role "nope" not found']);
  await ok(root, 'POST', 'identity/oidc/key/picky', { algorithm: 'ES256', allowed_client_ids: 'only-this' });
  await ok(root, 'POST', 'identity/oidc/role/picky', { key: 'picky' });
  const refused = await alice.call('GET', 'identity/oidc/token/picky');
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.json.errors, ['the key "picky" does not list the client ID of the role "picky" as an allowed client ID']);
  await ok(root, 'POST', 'identity/oidc/role/picky', { client_id: 'only-this' });
  assert.equal((await idToken('picky')).client_id, 'only-this');
});

test('ACL: token issue follows the policy; the well-known documents need no token', async () => {
  await ok(root, 'POST', 'identity/oidc/role/forbidden', { key: 'main', ttl: '1h' });
  assert.equal((await alice.call('GET', 'identity/oidc/token/forbidden')).status, 403);
  assert.equal((await alice.call('POST', 'identity/oidc/key/mine', { algorithm: 'ES256' })).status, 403);
  assert.equal((await alice.call('GET', 'identity/oidc/role/app')).status, 403);
  assert.equal((await alice.call('LIST', 'identity/oidc/key')).status, 403);
  assert.equal((await alice.call('POST', 'identity/oidc/key/main/rotate')).status, 403);
  assert.equal((await alice.call('POST', 'identity/oidc/config', { issuer: 'https://evil.example' })).status, 403);
  assert.equal((await anonymous.call('GET', 'identity/oidc/token/app')).status, 403);
  assert.equal((await anonymous.call('POST', 'identity/oidc/introspect', { token: 'x' })).status, 403);
  await ok(root, 'POST', 'auth/userpass/users/bob', { password: 'pw-bob' });
  const bob = apiClient(root.url, (await ok(anonymous, 'POST', 'auth/userpass/login/bob', { password: 'pw-bob' })).auth.client_token);
  assert.equal((await bob.call('GET', 'identity/oidc/token/app')).status, 403);
  assert.equal((await bob.call('POST', 'identity/oidc/introspect', { token: 'x' })).status, 403);
  assert.equal((await bob.call('GET', 'identity/oidc/.well-known/keys')).status, 200);
  assert.equal((await anonymous.call('GET', 'identity/oidc/.well-known/openid-configuration')).status, 200);
});

test('reads and lists of keys and roles', async () => {
  assert.deepEqual((await ok(root, 'GET', 'identity/oidc/key/main')).data, { algorithm: 'ES256', allowed_client_ids: ['*'], rotation_period: 3600, verification_ttl: 3600 });
  const role = (await ok(root, 'GET', 'identity/oidc/role/app')).data;
  assert.equal(role.key, 'main');
  assert.equal(role.ttl, 1800);
  assert.match(role.client_id, /^[0-9A-Za-z]{26}$/);
  await ok(root, 'POST', 'identity/oidc/role/app', { ttl: '20m' });
  const updated = (await ok(root, 'GET', 'identity/oidc/role/app')).data;
  assert.equal(updated.client_id, role.client_id, 'an update keeps the client id');
  assert.equal(updated.ttl, 1200);
  assert.equal(updated.template, role.template);
  const keys = (await ok(root, 'LIST', 'identity/oidc/key')).data.keys;
  assert.ok(keys.includes('main') && keys.includes('default'));
  const roles = (await ok(root, 'LIST', 'identity/oidc/role')).data.keys;
  assert.ok(roles.includes('app') && roles.includes('rot'));
  assert.deepEqual((await ok(root, 'GET', 'identity/oidc/config')).data, { issuer: root.url });
});

test('bad input: Vault-shaped 400s', async () => {
  const cases: Array<[string, string, unknown, RegExp]> = [
    ['POST', 'identity/oidc/key/bad', { algorithm: 'HS256' }, /^unknown signing algorithm "HS256"$/],
    ['POST', 'identity/oidc/key/bad', { rotation_period: 30 }, /^rotation_period must be at least one minute$/],
    ['POST', 'identity/oidc/key/bad', { rotation_period: '1h', verification_ttl: '11h' }, /^verification_ttl cannot be longer than 10x rotation_period$/],
    ['POST', 'identity/oidc/key/bad', { rotation_period: 'soon' }, /^error converting input for field "rotation_period"/],
    ['POST', 'identity/oidc/key/nope/rotate', {}, /^no named key found at "nope"$/],
    ['POST', 'identity/oidc/key/main', { verification_ttl: '10m' }, /^unable to update key "main" because it is currently referenced by one or more roles with a token ttl greater than 600 seconds$/],
    ['POST', 'identity/oidc/role/bad', { ttl: '1h' }, /^the key parameter is required$/],
    ['POST', 'identity/oidc/role/bad', { key: 'nope' }, /^cannot find key "nope"$/],
    ['POST', 'identity/oidc/role/bad', { key: 'main', ttl: '2h' }, /^a role's token ttl cannot be longer than the verification_ttl of the key it references$/],
    ['POST', 'identity/oidc/role/bad', { key: 'main', template: '{"a": ' }, /^error parsing template JSON/],
    ['POST', 'identity/oidc/role/bad', { key: 'main', template: '{"sub": "x"}' }, /^top level key "sub" not allowed/],
    ['POST', 'identity/oidc/role/bad', { key: 'main', template: '{"a": {{identity.entity.nope}}}' }, /^error parsing template: unknown template parameter/],
    ['POST', 'identity/oidc/role/bad', { key: 'main', template: '{"a": {{identity.entity.id}}' }, /^error parsing template JSON/],
    ['POST', 'identity/oidc/role/bad', { key: 'main', template: '{"a": {{identity.entity.id}' }, /^error parsing template: unbalanced/],
    ['POST', 'identity/oidc/config', { issuer: 'https://example.com/path' }, /^invalid issuer/],
    ['POST', 'identity/oidc/config', { issuer: 'ftp://example.com' }, /^invalid issuer/],
  ];
  for (const [method, path, body, message] of cases) {
    const res = await root.call(method, path, body);
    assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.json.errors.length, 1, res.text);
    assert.match(res.json.errors[0], message);
  }
  assert.equal((await root.call('GET', 'identity/oidc/key/bad')).status, 404, 'refused keys are not stored');
  assert.equal((await root.call('GET', 'identity/oidc/role/bad')).status, 404, 'refused roles are not stored');
});
