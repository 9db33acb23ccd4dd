/**
 * An Azure Key Vault + Entra ID stand-in for tests, over HTTPS with a generated CA (the SDK
 * insists on https): Key Vault REST for exactly the calls the azurekeyvault seal makes —
 * GET /keys/<name>[/<version>], POST /keys/<name>[/<version>]/wrapkey and /unwrapkey
 * (api-version required) — plus what the keymgmt engine and its tests use: import key
 * (PUT /keys/<name> with a private JWK: a new version), update a version's attributes
 * (PATCH /keys/<name>/<version>), delete (DELETE /keys/<name>, then GET /deletedkeys/<name>)
 * and sign (POST /keys/<name>/<version>/sign, RS256/384/512 over a digest) — behind the challenge-based auth flow (a request without a token
 * gets 401 with `WWW-Authenticate: Bearer authorization="<authority>/<tenant>",
 * resource="https://vault.azure.net"`), plus the Entra ID endpoints ClientSecretCredential uses
 * with a custom `authorityHost`: the tenant's OpenID configuration and the v2.0 token endpoint
 * (client_credentials; the client secret and the Key Vault scope are checked).
 *
 * Cryptography is real: each key has RSA-2048 versions (rotation adds one; an import adds the
 * imported key); wrapkey/unwrapkey do RSA-OAEP-256 (or RSA-OAEP) and sign RSASSA-PKCS1-v1_5 with
 * node:crypto, each only when the version's key_ops allow it.
 *
 * Failure injection: `failNext('throttle'|'deny', n)`, `setEnabled(key, false)`, `stop()` /
 * `start()` on the same port.
 */
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, privateEncrypt, publicEncrypt, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { makeServerCerts } from '../support/certs.js';
import { createFailureSwitch, startRestartableServer } from './standin-server.js';

interface Version {
  id: string; privateKey: KeyObject; publicKey: KeyObject; created: number;
  /** Set for imported versions. */
  keyOps?: string[]; hsm?: boolean; enabled?: boolean;
}
export interface AzureKeyVaultStandinKey { name: string; versions: Version[]; enabled: boolean; deleted?: number }

const DEFAULT_OPS = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
/** DER DigestInfo prefixes for RSASSA-PKCS1-v1_5 over a digest (RFC 8017 §9.2 note 1). */
const RS_DIGEST_INFO: Readonly<Record<string, { prefix: string; bytes: number }>> = {
  RS256: { prefix: '3031300d060960864801650304020105000420', bytes: 32 },
  RS384: { prefix: '3041300d060960864801650304020205000430', bytes: 48 },
  RS512: { prefix: '3051300d060960864801650304020305000440', bytes: 64 },
};

const RESOURCE = 'https://vault.azure.net';

class KvError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly inner?: string) {
    super(message);
  }
}

const OAEP: Readonly<Record<string, string>> = { 'RSA-OAEP-256': 'sha256', 'RSA-OAEP': 'sha1' };

export async function startAzureKeyVaultStandin() {
  const certs = makeServerCerts(mkdtempSync(`${tmpdir()}/arca-azure-standin-`));
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const clientSecret = randomBytes(24).toString('base64url');
  const keys = new Map<string, AzureKeyVaultStandinKey>();
  const tokens = new Map<string, number>();
  const calls: string[] = [];
  const failures = createFailureSwitch();
  const origin = () => `https://127.0.0.1:${port}`;

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  function tokenEndpoint(text: string): Record<string, unknown> {
    const form = new URLSearchParams(text);
    if (form.get('grant_type') !== 'client_credentials') throw new KvError(400, 'unsupported_grant_type', 'AADSTS70003');
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      throw new KvError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    }
    if (!(form.get('scope') ?? '').split(' ').includes(`${RESOURCE}/.default`)) throw new KvError(400, 'invalid_scope', 'AADSTS70011: invalid scope');
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, Date.now() + 3600_000);
    return { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token };
  }

  function openIdConfiguration(): Record<string, unknown> {
    const base = `${origin()}/${tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      issuer: `${base}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    };
  }

  function keyBundle(key: AzureKeyVaultStandinKey, v: Version): Record<string, unknown> {
    const jwk = v.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    return {
      key: { kid: `${origin()}/keys/${key.name}/${v.id}`, kty: v.hsm ? 'RSA-HSM' : 'RSA', key_ops: v.keyOps ?? DEFAULT_OPS, n: jwk.n, e: jwk.e },
      attributes: { enabled: key.enabled && v.enabled !== false, created: v.created, updated: v.created, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
    };
  }

  /** PUT /keys/<name>: a private RSA JWK becomes the key's newest version (the key is made if new). */
  function importKey(name: string, body: Record<string, any>): Record<string, unknown> {
    const jwk = body.key ?? {};
    if (jwk.kty !== 'RSA' && jwk.kty !== 'RSA-HSM') throw new KvError(400, 'BadParameter', 'this stand-in imports RSA keys only');
    for (const part of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']) {
      if (typeof jwk[part] !== 'string' || jwk[part] === '') throw new KvError(400, 'BadParameter', `JWK property ${part} is required for import`);
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e, d: jwk.d, p: jwk.p, q: jwk.q, dp: jwk.dp, dq: jwk.dq, qi: jwk.qi }, format: 'jwk' });
    } catch {
      throw new KvError(400, 'BadParameter', 'The JWK does not describe a valid RSA key.');
    }
    const existing = keys.get(name);
    if (existing?.deleted !== undefined) throw new KvError(409, 'Conflict', `Key ${name} is currently in a deleted but recoverable state.`);
    const key = existing ?? { name, versions: [], enabled: true };
    keys.set(name, key);
    const version: Version = {
      id: randomBytes(16).toString('hex'), privateKey, publicKey: createPublicKey(privateKey), created: Math.floor(Date.now() / 1000),
      keyOps: Array.isArray(jwk.key_ops) ? jwk.key_ops.map(String) : DEFAULT_OPS, hsm: body.hsm === true || jwk.kty === 'RSA-HSM',
      enabled: body.attributes?.enabled !== false,
    };
    key.versions.push(version);
    return keyBundle(key, version);
  }

  function sign(version: Version, body: Record<string, any>): Buffer {
    const info = RS_DIGEST_INFO[String(body.alg)];
    if (!info) throw new KvError(400, 'BadParameter', 'Invalid algorithm (this stand-in signs RS256, RS384, RS512)');
    const digest = Buffer.from(String(body.value ?? ''), 'base64url');
    if (digest.length !== info.bytes) throw new KvError(400, 'BadParameter', 'The digest length does not match the algorithm.');
    return privateEncrypt({ key: version.privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(info.prefix, 'hex'), digest]));
  }

  function vault(method: string, path: string, body: Record<string, any>): Record<string, unknown> {
    const deleted = /^\/deletedkeys\/([A-Za-z0-9-]+)\/?$/.exec(path);
    if (deleted) {
      const key = keys.get(deleted[1]);
      if (method !== 'GET' || key?.deleted === undefined) throw new KvError(404, 'KeyNotFound', `Deleted Key not found: ${deleted[1]}`);
      return { ...keyBundle(key, key.versions[key.versions.length - 1]), recoveryId: `${origin()}/deletedkeys/${key.name}`, deletedDate: key.deleted, scheduledPurgeDate: key.deleted + 90 * 86400 };
    }
    // The SDK asks for the latest version as /keys/<name>/ and /keys/<name>//wrapkey.
    const m = /^\/keys\/([A-Za-z0-9-]+)(?:\/([0-9a-f]{32})?)?(?:\/(wrapkey|unwrapkey|sign))?\/?$/.exec(path);
    if (!m) throw new KvError(404, 'NotFound', 'unknown path');
    if (method === 'PUT' && !m[2] && !m[3]) return importKey(m[1], body);
    const key = keys.get(m[1]);
    if (!key || key.deleted !== undefined) throw new KvError(404, 'KeyNotFound', `A key with (name/id) ${m[1]} was not found in this key vault.`);
    const version = m[2] ? key.versions.find((v) => v.id === m[2]) : key.versions[key.versions.length - 1];
    if (!version) throw new KvError(404, 'KeyNotFound', 'key version not found');
    if (method === 'GET' && !m[3]) return keyBundle(key, version);
    if (method === 'PATCH' && m[2] && !m[3]) {
      if (typeof body.attributes?.enabled === 'boolean') version.enabled = body.attributes.enabled;
      return keyBundle(key, version);
    }
    if (method === 'DELETE' && !m[2] && !m[3]) {
      key.deleted = Math.floor(Date.now() / 1000);
      return { ...keyBundle(key, version), recoveryId: `${origin()}/deletedkeys/${key.name}`, deletedDate: key.deleted, scheduledPurgeDate: key.deleted + 90 * 86400 };
    }
    if (method !== 'POST' || !m[3]) throw new KvError(405, 'MethodNotAllowed', 'method not allowed');
    const op = { wrapkey: 'wrapKey', unwrapkey: 'unwrapKey', sign: 'sign' }[m[3]]!;
    if (!key.enabled || version.enabled === false) throw new KvError(403, 'Forbidden', `Operation ${op} is not allowed on a disabled key.`, 'KeyDisabled');
    if (!(version.keyOps ?? DEFAULT_OPS).includes(op)) throw new KvError(403, 'Forbidden', `Operation ${op} is not permitted for this key.`, 'KeyOperationForbidden');
    if (m[3] === 'sign') return { kid: `${origin()}/keys/${key.name}/${version.id}`, value: sign(version, body).toString('base64url') };
    const hash = OAEP[String(body.alg)];
    if (!hash) throw new KvError(400, 'BadParameter', 'Invalid algorithm');
    const value = Buffer.from(String(body.value ?? ''), 'base64url');
    const kid = `${origin()}/keys/${key.name}/${version.id}`;
    if (m[3] === 'wrapkey') {
      if (value.length === 0) throw new KvError(400, 'BadParameter', 'value is empty');
      const out = publicEncrypt({ key: version.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, value);
      return { kid, value: out.toString('base64url') };
    }
    try {
      const out = privateDecrypt({ key: version.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, value);
      return { kid, value: out.toString('base64url') };
    } catch {
      throw new KvError(400, 'BadParameter', 'The parameter is incorrect.');
    }
  }

  function authorized(req: IncomingMessage): boolean {
    const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
    const expiry = m ? tokens.get(m[1]) : undefined;
    return expiry !== undefined && expiry > Date.now();
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'https://x');
      calls.push(`${req.method} ${url.pathname}`);
      try {
        if (url.pathname === `/${tenantId}/v2.0/.well-known/openid-configuration`) return send(res, 200, openIdConfiguration());
        if (url.pathname === `/${tenantId}/oauth2/v2.0/token` && req.method === 'POST') return send(res, 200, tokenEndpoint(text));
        if (!url.pathname.startsWith('/keys/') && !url.pathname.startsWith('/deletedkeys/')) throw new KvError(404, 'NotFound', 'unknown path');
        if (!url.searchParams.get('api-version')) throw new KvError(400, 'BadParameter', 'api-version is required');
        if (!authorized(req)) {
          return send(res, 401, { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }, {
            'www-authenticate': `Bearer authorization="${origin()}/${tenantId}", resource="${RESOURCE}"`,
          });
        }
        const failing = failures.take();
        if (failing) {
          if (failing === 'throttle') throw new KvError(429, 'Throttled', 'Request was not processed because too many requests were received.');
          throw new KvError(403, 'Forbidden', "The user, group or application does not have keys wrapKey permission on key vault.", 'ForbiddenByPolicy');
        }
        let body: Record<string, any>;
        try { body = text ? JSON.parse(text) : {}; } catch { throw new KvError(400, 'BadParameter', 'invalid JSON'); }
        send(res, 200, vault(req.method ?? 'GET', url.pathname, body));
      } catch (err) {
        if (!(err instanceof KvError)) throw err;
        if (url.pathname.endsWith('/token')) return send(res, err.status, { error: err.code, error_description: err.message, error_codes: [7000215] });
        send(res, err.status, { error: { code: err.code, message: err.message, ...(err.inner ? { innererror: { code: err.inner } } : {}) } });
      }
    });
  }

  const tls = { key: readFileSync(certs.serverKey), cert: readFileSync(certs.serverCert) };

  const listener = await startRestartableServer(() => createServer(tls, handle));
  const port = listener.port;

  return {
    url: origin(),
    caCertFile: certs.caCert,
    tenantId, clientId, clientSecret, calls,
    createKey(name = `key-${randomUUID().slice(0, 8)}`): AzureKeyVaultStandinKey {
      const key: AzureKeyVaultStandinKey = { name, versions: [], enabled: true };
      keys.set(name, key);
      this.rotate(key);
      return key;
    },
    key: (name: string) => keys.get(name)!,
    /** A new version becomes the latest; old versions keep working. */
    rotate(key: AzureKeyVaultStandinKey): void {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      key.versions.push({ id: randomBytes(16).toString('hex'), privateKey, publicKey, created: Math.floor(Date.now() / 1000) });
    },
    setEnabled(key: AzureKeyVaultStandinKey, enabled: boolean): void {
      key.enabled = enabled;
    },
    failNext: failures.failNext,
    clearFailures: failures.clearFailures,
    start: listener.start,
    stop: listener.stop,
    close: listener.stop,
  };
}

export type AzureKeyVaultStandin = Awaited<ReturnType<typeof startAzureKeyVaultStandin>>;
