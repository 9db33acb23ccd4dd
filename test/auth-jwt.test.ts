/**
 * JWT/OIDC auth against a local issuer (node:http on 127.0.0.1:0) that serves discovery, a
 * JWKS and a token endpoint with real RS256, ES256 and EdDSA keys made by jose.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startDevServer, type DevServer } from './support/server.js';
import { makeKey, nowSeconds, sign, startIssuer, type Issuer, type Key } from './auth-jwt-issuer.js';

let server: DevServer;
let issuer: Issuer;
let rsa: Key; let ec: Key; let ed: Key; let stranger: Key;

before(async () => {
  [rsa, ec, ed, stranger] = await Promise.all([makeKey('RS256', 'rsa-1'), makeKey('ES256', 'ec-1'), makeKey('EdDSA', 'ed-1'), makeKey('RS256', 'rsa-x')]);
  issuer = await startIssuer([rsa, ec, ed]);
  server = await startDevServer();
});
after(async () => {
  await server?.close();
  await issuer?.close();
});

async function accessorCount(): Promise<number> {
  const res = await server.api.call('LIST', 'auth/token/accessors');
  assert.equal(res.status, 200, res.text);
  return res.json.data.keys.length;
}

async function enable(path: string, type: string, config: Record<string, unknown>): Promise<void> {
  assert.equal((await server.api.call('POST', `sys/auth/${path}`, { type })).status, 204);
  const res = await server.api.call('POST', `auth/${path}/config`, config);
  assert.equal(res.status, 204, res.text);
}

const login = (mount: string, role: string, jwt: string) => server.api.call('POST', `auth/${mount}/login`, { role, jwt }, { 'X-Vault-Token': '' });

test('config and role validation use Vault\'s messages', async () => {
  assert.equal((await server.api.call('POST', 'sys/auth/jwt-bad', { type: 'jwt' })).status, 204);
  let res = await server.api.call('POST', 'auth/jwt-bad/config', { jwks_url: `${issuer.url}/jwks`, jwt_validation_pubkeys: [rsa.pem] });
  assert.equal(res.status, 400);
  assert.deepEqual(res.json.errors, ["exactly one of 'jwt_validation_pubkeys', 'jwks_url' or 'oidc_discovery_url' must be set"]);
  res = await server.api.call('POST', 'auth/jwt-bad/config', { jwt_validation_pubkeys: ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'] });
  assert.deepEqual(res.json.errors, ['error parsing public key']);
  res = await server.api.call('POST', 'auth/jwt-bad/role/r', { role_type: 'jwt', user_claim: 'sub' });
  assert.deepEqual(res.json.errors, ['must have at least one bound constraint when creating/updating a role']);
  res = await server.api.call('POST', 'auth/jwt-bad/role/r', { user_claim: 'sub', bound_audiences: 'x' });
  assert.deepEqual(res.json.errors, ["'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified."]);
  res = await server.api.call('POST', 'auth/jwt-bad/role/r', { role_type: 'jwt', bound_audiences: 'x' });
  assert.deepEqual(res.json.errors, ['a user claim must be defined on the role']);
});

test('static public keys: RS256, ES256 and EdDSA logins; claims → metadata, groups → group aliases', async () => {
  await enable('jwt', 'jwt', { jwt_validation_pubkeys: [rsa.pem, ec.pem, ed.pem], jwt_supported_algs: 'RS256,ES256,EdDSA', bound_issuer: issuer.url });
  const role = {
    role_type: 'jwt', user_claim: 'sub', bound_audiences: 'arca', groups_claim: '/org/groups',
    bound_claims_type: 'glob', bound_claims: { repository: 'acme/*' }, claim_mappings: { email: 'email' },
    token_policies: 'ci', token_ttl: '10m', expiration_leeway: -1,
  };
  let res = await server.api.call('POST', 'auth/jwt/role/ci', role);
  assert.equal(res.status, 204, res.text);
  res = await server.api.call('GET', 'auth/jwt/role/ci');
  assert.equal(res.json.data.expiration_leeway, -1);
  assert.deepEqual(res.json.data.bound_claims, { repository: 'acme/*' });
  assert.deepEqual(res.json.data.token_policies, ['ci']);

  // The groups claim feeds an external group whose policies the token then carries.
  const accessor = (await server.api.call('GET', 'sys/auth')).json.data['jwt/'].accessor;
  const ext = await server.api.call('POST', 'identity/group', { name: 'jwt-devs', type: 'external', policies: 'devs-policy' });
  assert.equal((await server.api.call('POST', 'identity/group-alias', { name: 'devs', mount_accessor: accessor, canonical_id: ext.json.data.id })).status, 200);
  for (const key of [rsa, ec, ed]) {
    const jwt = await sign(issuer, { aud: 'arca', repository: 'acme/app', email: 'alice@acme.test', org: { groups: ['devs'] } }, key);
    res = await login('jwt', 'ci', jwt);
    assert.equal(res.status, 200, `${key.alg}: ${res.text}`);
    assert.deepEqual(res.json.auth.policies, ['ci', 'default']);
    assert.deepEqual(res.json.auth.metadata, { role: 'ci', email: 'alice@acme.test' });
    assert.equal(res.json.auth.lease_duration, 600);
    assert.match(res.json.auth.entity_id, /^[0-9a-f-]{36}$/);
  }
  // The external group's policy applies to the token (through its entity).
  assert.equal((await server.api.call('PUT', 'sys/policies/acl/devs-policy', { policy: 'path "sys/policies/acl/devs-policy" { capabilities = ["read"] }' })).status, 204);
  const asAlice = { 'X-Vault-Token': res.json.auth.client_token };
  assert.equal((await server.api.call('GET', 'sys/policies/acl/devs-policy', undefined, asAlice)).status, 200);
  // Once the groups claim no longer names the group, the next login drops the membership.
  res = await login('jwt', 'ci', await sign(issuer, { aud: 'arca', repository: 'acme/app', org: { groups: [] } }));
  assert.equal(res.status, 200, res.text);
  assert.equal((await server.api.call('GET', 'sys/policies/acl/devs-policy', undefined, { 'X-Vault-Token': res.json.auth.client_token })).status, 403);
  const lookup = await server.api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': res.json.auth.client_token });
  assert.equal(lookup.json.data.display_name, 'jwt-alice');
});

test('negative JWT logins are 400 with a useful message and leave no token behind', async () => {
  const before = await accessorCount();
  const good = { aud: 'arca', repository: 'acme/app', org: { groups: [] } };
  const cases: Array<[string, Promise<string>, string]> = [
    ['expired', sign(issuer, { ...good, exp: nowSeconds() - 3600, iat: nowSeconds() - 7200 }), 'error validating token: invalid expiration time (exp) claim: token is expired'],
    ['wrong signature', sign(issuer, good, stranger), 'error validating token: failed to verify signature'],
    ['wrong audience', sign(issuer, { ...good, aud: 'someone-else' }), 'error validating token: invalid audience (aud) claim: audience claim does not match any expected audience'],
    ['bound claim mismatch', sign(issuer, { ...good, repository: 'evil/app' }), 'error validating claims: claim "repository" does not match any associated bound claim values'],
    ['wrong issuer', sign({ url: 'http://elsewhere', signing: rsa }, good), 'error validating token: invalid issuer (iss) claim'],
  ];
  for (const [name, token, message] of cases) {
    const res = await login('jwt', 'ci', await token);
    assert.equal(res.status, 400, name);
    assert.deepEqual(res.json.errors, [message], name);
  }
  // A tampered payload with the original signature.
  const [h, , s] = (await sign(issuer, good)).split('.');
  const forged = Buffer.from(JSON.stringify({ iss: issuer.url, sub: 'root', aud: 'arca', repository: 'acme/x', exp: nowSeconds() + 60 })).toString('base64url');
  let res = await login('jwt', 'ci', `${h}.${forged}.${s}`);
  assert.deepEqual(res.json.errors, ['error validating token: failed to verify signature']);
  // alg "none" is never accepted.
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(good)).toString('base64url')}.`;
  res = await login('jwt', 'ci', none);
  assert.equal(res.status, 400);
  res = await login('jwt', 'nope', await sign(issuer, good));
  assert.deepEqual(res.json.errors, ['role could not be found']);
  res = await login('jwt', 'ci', '');
  assert.deepEqual(res.json.errors, ['missing token']);
  assert.equal(await accessorCount(), before);
});

test('renewal re-checks the role: allowed while unchanged, refused once its policies change', async () => {
  const jwt = await sign(issuer, { aud: 'arca', repository: 'acme/app', org: { groups: [] } });
  const res = await login('jwt', 'ci', jwt);
  assert.equal(res.status, 200, res.text);
  const as = { 'X-Vault-Token': res.json.auth.client_token };
  let renew = await server.api.call('POST', 'auth/token/renew-self', {}, as);
  assert.equal(renew.status, 200, renew.text);
  assert.equal((await server.api.call('POST', 'auth/jwt/role/ci', { token_policies: 'ci,extra' })).status, 204);
  renew = await server.api.call('POST', 'auth/token/renew-self', {}, as);
  assert.equal(renew.status, 400);
  assert.deepEqual(renew.json.errors, ['policies have changed, not renewing']);
  assert.equal((await server.api.call('POST', 'auth/jwt/role/ci', { token_policies: 'ci' })).status, 204);
});

test('JWKS URL: a rotated key (new kid) is picked up; the retired key stops working', async () => {
  const first = await makeKey('ES256', 'rot-1');
  const second = await makeKey('EdDSA', 'rot-2');
  const rotating = await startIssuer([first]);
  try {
    await enable('jwks', 'jwt', { jwks_url: `${rotating.url}/jwks`, jwt_supported_algs: ['ES256', 'EdDSA'] });
    assert.equal((await server.api.call('POST', 'auth/jwks/role/svc', { role_type: 'jwt', user_claim: 'sub', bound_subject: 'alice', bound_audiences: 'arca' })).status, 204);
    let res = await login('jwks', 'svc', await sign(rotating, { aud: 'arca' }, first));
    assert.equal(res.status, 200, res.text);
    rotating.keys = [second];
    res = await login('jwks', 'svc', await sign(rotating, { aud: 'arca' }, second));
    assert.equal(res.status, 200, res.text);
    res = await login('jwks', 'svc', await sign(rotating, { aud: 'arca' }, first));
    assert.equal(res.status, 400);
    assert.deepEqual(res.json.errors, ['error validating token: failed to verify signature']);
    res = await login('jwks', 'svc', await sign(rotating, { aud: 'arca', sub: 'bob' }, second));
    assert.deepEqual(res.json.errors, ['sub claim does not match bound subject']);
  } finally {
    await rotating.close();
  }
});

test('OIDC authorisation-code flow with PKCE and nonce through discovery', async () => {
  await enable('oidc', 'oidc', { oidc_discovery_url: issuer.url, oidc_client_id: 'arca-client', oidc_client_secret: 'client-secret', default_role: 'web', jwt_supported_algs: 'RS256' });
  const cfg = await server.api.call('GET', 'auth/oidc/config');
  assert.equal(cfg.json.data.oidc_client_secret, undefined);
  const redirect = 'http://localhost:8250/oidc/callback';
  let res = await server.api.call('POST', 'auth/oidc/role/web', { user_claim: 'email', groups_claim: 'groups', allowed_redirect_uris: [redirect], oidc_scopes: 'profile,email', token_policies: 'web' });
  assert.equal(res.status, 204, res.text);

  const begin = async (claims: Record<string, unknown>) => {
    const r = await server.api.call('POST', 'auth/oidc/oidc/auth_url', { redirect_uri: redirect }, { 'X-Vault-Token': '' });
    assert.equal(r.status, 200, r.text);
    const url = new URL(r.json.data.auth_url);
    assert.equal(`${url.origin}${url.pathname}`, `${issuer.url}/authorize`);
    assert.equal(url.searchParams.get('client_id'), 'arca-client');
    assert.equal(url.searchParams.get('redirect_uri'), redirect);
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('scope'), 'openid profile email');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    const code = randomBytes(8).toString('hex');
    issuer.codes.set(code, { challenge: url.searchParams.get('code_challenge')!, nonce: url.searchParams.get('nonce')!, claims });
    return { state: url.searchParams.get('state')!, code };
  };

  const before = await accessorCount();
  const { state, code } = await begin({ email: 'alice@acme.test', groups: ['admins'] });
  res = await server.api.call('GET', `auth/oidc/oidc/callback?state=${state}&code=${code}`, undefined, { 'X-Vault-Token': '' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.auth.policies, ['default', 'web']);
  assert.equal(res.json.auth.metadata.role, 'web');
  assert.equal(await accessorCount(), before + 1);

  // A state is good once.
  res = await server.api.call('GET', `auth/oidc/oidc/callback?state=${state}&code=${code}`, undefined, { 'X-Vault-Token': '' });
  assert.deepEqual(res.json.errors, ['Expired or missing OAuth state.']);
  // An ID token whose nonce is not ours is refused.
  const replay = await begin({ email: 'alice@acme.test', groups: [], nonce: 'attacker-nonce' });
  res = await server.api.call('GET', `auth/oidc/oidc/callback?state=${replay.state}&code=${replay.code}`, undefined, { 'X-Vault-Token': '' });
  assert.deepEqual(res.json.errors, ['invalid ID token nonce.']);
  // A code the issuer refuses (wrong PKCE verifier is checked by the issuer stand-in).
  const refused = await begin({ email: 'a@b' });
  issuer.codes.get(refused.code)!.challenge = 'not-the-challenge';
  res = await server.api.call('GET', `auth/oidc/oidc/callback?state=${refused.state}&code=${refused.code}`, undefined, { 'X-Vault-Token': '' });
  assert.deepEqual(res.json.errors, ['error exchanging oidc code: the provider refused the code']);
  // Redirect URIs are allow-listed; a JWT login on an OIDC role is refused.
  res = await server.api.call('POST', 'auth/oidc/oidc/auth_url', { redirect_uri: 'http://evil.test/cb' }, { 'X-Vault-Token': '' });
  assert.deepEqual(res.json.errors, ['unauthorized redirect_uri']);
  res = await login('oidc', 'web', await sign(issuer, { aud: 'arca-client', email: 'x' }));
  assert.deepEqual(res.json.errors, ['role with oidc role_type is not allowed']);
  assert.equal(await accessorCount(), before + 1);
});
