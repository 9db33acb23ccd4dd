/**
 * A Cloud KMS stand-in for tests: the REST surface (v1) of exactly the calls the gcpckms seal
 * makes — GET cryptoKeys/<k>, POST …:encrypt, POST …:decrypt — with google.rpc error bodies
 * ({"error":{"code","message","status"}}), and OAuth2 checking: every call needs a Bearer token
 * that is either a self-signed service-account JWT (RS256, verified with the account's public
 * key, as google-auth-library sends by default) or an access token issued by its /token
 * endpoint for a verified JWT-bearer assertion.
 *
 * Cryptography is real: each CryptoKey has AES-256 versions (rotation adds one and makes it
 * primary); a ciphertext is version u32 BE ‖ iv 12 ‖ AES-256-GCM(ct ‖ tag) with the version
 * name and the additionalAuthenticatedData as AAD.
 *
 * Failure injection: `failNext('throttle'|'deny', n)`, `setEnabled(key, false)` (every version
 * DISABLED), `stop()` / `start()` on the same port.
 */
import { createCipheriv, createDecipheriv, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Version { material: Buffer; state: 'ENABLED' | 'DISABLED' }
export interface GcpKmsStandinKey { name: string; versions: Version[]; primary: number }

type Failure = 'throttle' | 'deny';

class RpcError extends Error {
  constructor(readonly http: number, readonly status: string, message: string) {
    super(message);
  }
}

export async function startGcpKmsStandin(options: { project?: string; location?: string; keyRing?: string } = {}) {
  const project = options.project ?? 'arca-test';
  const location = options.location ?? 'global';
  const keyRing = options.keyRing ?? 'arca';
  const keys = new Map<string, GcpKmsStandinKey>();
  const accounts = new Map<string, KeyObject>();
  const accessTokens = new Set<string>();
  const calls: string[] = [];
  let failure: { kind: Failure; remaining: number } | undefined;
  let server: Server | undefined;
  let port = 0;
  const dir = mkdtempSync(join(tmpdir(), 'arca-gcp-standin-'));

  function verifyJwt(jwt: string): Record<string, any> {
    const parts = jwt.split('.');
    if (parts.length !== 3) throw new RpcError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    let header: any;
    let claims: any;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    } catch {
      throw new RpcError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    }
    const pub = accounts.get(String(claims.iss));
    const ok = header.alg === 'RS256' && pub !== undefined &&
      verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), pub, Buffer.from(parts[2], 'base64url'));
    if (!ok || typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) {
      throw new RpcError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    }
    return claims;
  }

  function authenticate(req: IncomingMessage): void {
    const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
    if (!m) throw new RpcError(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential.');
    if (accessTokens.has(m[1])) return;
    verifyJwt(m[1]);
  }

  function findKey(name: string): GcpKmsStandinKey {
    const key = keys.get(name);
    if (!key) throw new RpcError(404, 'NOT_FOUND', `CryptoKey ${name} not found.`);
    return key;
  }

  const versionName = (key: GcpKmsStandinKey, i: number) => `${key.name}/cryptoKeyVersions/${i + 1}`;
  const aadFor = (name: string, extra: Buffer) => Buffer.concat([Buffer.from(name), Buffer.from([0]), extra]);

  function operation(method: string, path: string, body: Record<string, any>): Record<string, unknown> {
    const m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/:]+)(?:\/cryptoKeyVersions\/(\d+))?(?::(encrypt|decrypt))?$/.exec(path);
    if (!m) throw new RpcError(404, 'NOT_FOUND', 'unknown path');
    const [, name, versionText, verb] = m;
    const key = findKey(name);
    if (method === 'GET' && !verb && !versionText) {
      return { name: key.name, purpose: 'ENCRYPT_DECRYPT', primary: { name: versionName(key, key.primary), state: key.versions[key.primary].state, algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION' } };
    }
    if (method !== 'POST' || !verb) throw new RpcError(404, 'NOT_FOUND', 'unknown method');
    const aad = Buffer.from(String(body.additionalAuthenticatedData ?? ''), 'base64');
    if (verb === 'encrypt') {
      const index = versionText ? Number(versionText) - 1 : key.primary;
      const version = key.versions[index];
      if (!version) throw new RpcError(404, 'NOT_FOUND', 'CryptoKeyVersion not found.');
      if (version.state !== 'ENABLED') throw new RpcError(400, 'FAILED_PRECONDITION', `${versionName(key, index)} is not enabled, current state is: DISABLED.`);
      const plaintext = Buffer.from(String(body.plaintext ?? ''), 'base64');
      if (plaintext.length === 0 || plaintext.length > 65536) throw new RpcError(400, 'INVALID_ARGUMENT', 'plaintext must be 1..65536 bytes');
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', version.material, iv);
      c.setAAD(aadFor(versionName(key, index), aad));
      const head = Buffer.alloc(4);
      head.writeUInt32BE(index);
      const ciphertext = Buffer.concat([head, iv, c.update(plaintext), c.final(), c.getAuthTag()]);
      return { name: versionName(key, index), ciphertext: ciphertext.toString('base64'), protectionLevel: 'SOFTWARE' };
    }
    if (versionText) throw new RpcError(400, 'INVALID_ARGUMENT', 'decrypt takes a CryptoKey name');
    const ciphertext = Buffer.from(String(body.ciphertext ?? ''), 'base64');
    const invalid = new RpcError(400, 'INVALID_ARGUMENT', 'Decryption failed: the ciphertext is invalid.');
    if (ciphertext.length < 4 + 12 + 16) throw invalid;
    const index = ciphertext.readUInt32BE(0);
    const version = key.versions[index];
    if (!version) throw invalid;
    if (version.state !== 'ENABLED') throw new RpcError(400, 'FAILED_PRECONDITION', `${versionName(key, index)} is not enabled, current state is: DISABLED.`);
    try {
      const d = createDecipheriv('aes-256-gcm', version.material, ciphertext.subarray(4, 16));
      d.setAAD(aadFor(versionName(key, index), aad));
      d.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
      const plaintext = Buffer.concat([d.update(ciphertext.subarray(16, ciphertext.length - 16)), d.final()]);
      return { plaintext: plaintext.toString('base64'), usedPrimary: index === key.primary, protectionLevel: 'SOFTWARE' };
    } catch {
      throw invalid;
    }
  }

  function token(body: string): Record<string, unknown> {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') throw new RpcError(400, 'INVALID_ARGUMENT', 'unsupported grant_type');
    verifyJwt(form.get('assertion') ?? '');
    const access = `ya29.standin-${randomUUID()}`;
    accessTokens.add(access);
    return { access_token: access, token_type: 'Bearer', expires_in: 3600 };
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      calls.push(`${req.method} ${path}`);
      let status = 200;
      let out: Record<string, unknown>;
      try {
        if (path === '/token') {
          out = token(text);
        } else {
          authenticate(req);
          if (failure && failure.remaining > 0) {
            failure.remaining--;
            if (failure.kind === 'throttle') throw new RpcError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric \'Cryptographic requests\'.');
            throw new RpcError(403, 'PERMISSION_DENIED', "Permission 'cloudkms.cryptoKeyVersions.useToEncrypt' denied on resource (or it may not exist).");
          }
          let body: Record<string, any>;
          try { body = text ? JSON.parse(text) : {}; } catch { throw new RpcError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'); }
          out = operation(req.method ?? 'GET', path, body);
        }
      } catch (err) {
        if (!(err instanceof RpcError)) throw err;
        status = err.http;
        out = { error: { code: err.http, message: err.message, status: err.status } };
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(out));
    });
  }

  async function start(): Promise<void> {
    server = createServer(handle);
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  }

  async function stop(): Promise<void> {
    const s = server;
    server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  await start();
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    project, location, keyRing, endpoint, calls,
    /** Writes a service-account JSON file whose key this stand-in trusts; returns its path. */
    serviceAccountFile(trusted = true): string {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const email = `seal-${randomUUID().slice(0, 8)}@${project}.iam.gserviceaccount.com`;
      if (trusted) accounts.set(email, createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })));
      const file = join(dir, `${email}.json`);
      writeFileSync(file, JSON.stringify({
        type: 'service_account', project_id: project, private_key_id: randomUUID().replace(/-/g, ''),
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), client_email: email, client_id: '1',
        token_uri: `${endpoint}/token`,
      }), { mode: 0o600 });
      return file;
    },
    createKey(id = `key-${randomUUID().slice(0, 8)}`): GcpKmsStandinKey {
      const key = { name: `projects/${project}/locations/${location}/keyRings/${keyRing}/cryptoKeys/${id}`, versions: [{ material: randomBytes(32), state: 'ENABLED' as const }], primary: 0 };
      keys.set(key.name, key);
      return key;
    },
    key: (name: string) => findKey(name),
    rotate(key: GcpKmsStandinKey): void {
      key.versions.push({ material: randomBytes(32), state: 'ENABLED' });
      key.primary = key.versions.length - 1;
    },
    setEnabled(key: GcpKmsStandinKey, enabled: boolean): void {
      for (const v of key.versions) v.state = enabled ? 'ENABLED' : 'DISABLED';
    },
    failNext(kind: Failure, count = Infinity): void {
      failure = { kind, remaining: count };
    },
    clearFailures(): void {
      failure = undefined;
    },
    start,
    stop,
    close: stop,
  };
}

export type GcpKmsStandin = Awaited<ReturnType<typeof startGcpKmsStandin>>;
