/**
 * A Cloud KMS stand-in for tests: the REST surface (v1) of exactly the calls the gcpckms seal
 * makes — GET cryptoKeys/<k>, POST …:encrypt, POST …:decrypt — and the keymgmt engine's key
 * import — POST keyRings/<r>/cryptoKeys (import-only, no initial version), POST/GET
 * keyRings/<r>/importJobs, POST cryptoKeys/<k>/cryptoKeyVersions:import, GET and PATCH (state)
 * cryptoKeyVersions/<n>, POST …:updatePrimaryVersion, …:destroy, …:asymmetricSign (RSA PKCS#1
 * v1.5 over a SHA-256 digest) — with google.rpc error bodies
 * ({"error":{"code","message","status"}}), and OAuth2 checking: every call needs a Bearer token
 * that is either a self-signed service-account JWT (RS256, verified with the account's public
 * key, as google-auth-library sends by default) or an access token issued by its /token
 * endpoint for a verified JWT-bearer assertion.
 *
 * Cryptography is real: each CryptoKey has AES-256 versions (rotation adds one and makes it
 * primary); a ciphertext is version u32 BE ‖ iv 12 ‖ AES-256-GCM(ct ‖ tag) with the version
 * name and the additionalAuthenticatedData as AAD.
 *
 * Imports are real: an import job holds a fresh RSA-3072 key pair; ImportCryptoKeyVersion
 * (RSA_OAEP_3072_SHA256_AES_256) decrypts the ephemeral AES key with it and unwraps the target
 * (RFC 5649) — raw AES-256 bytes, or a PKCS#8 private key that must match the algorithm. A new
 * import job is PENDING_GENERATION until first read; an imported version PENDING_IMPORT until
 * first read (as the real service finishes both asynchronously).
 *
 * Failure injection: `failNext('throttle'|'deny', n)`, `setEnabled(key, false)` (every version
 * DISABLED), `stop()` / `start()` on the same port.
 */
import { constants, createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, privateEncrypt, randomBytes, randomUUID, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFailureSwitch, startRestartableServer } from './standin-server.js';

type VersionState = 'ENABLED' | 'DISABLED' | 'PENDING_IMPORT' | 'DESTROY_SCHEDULED';
interface Version { material: Buffer; state: VersionState; privateKey?: KeyObject; algorithm?: string; importJob?: string }
export interface GcpKmsStandinKey {
  name: string; versions: Version[];
  /** Index of the primary version; -1 when there is none (an import-only key before its first import). */
  primary: number;
  purpose?: string; importOnly?: boolean; protectionLevel?: string; algorithm?: string;
}
interface ImportJob { name: string; importMethod: string; protectionLevel: string; privateKey: KeyObject; publicPem: string; reads: number }

const IMPORT_ALGORITHMS: Readonly<Record<string, { purpose: string; check(key: KeyObject | undefined, raw: Buffer): boolean }>> = {
  GOOGLE_SYMMETRIC_ENCRYPTION: { purpose: 'ENCRYPT_DECRYPT', check: (_k, raw) => raw.length === 32 },
  ...Object.fromEntries([2048, 3072, 4096].flatMap((bits) => [
    [`RSA_SIGN_PKCS1_${bits}_SHA256`, { purpose: 'ASYMMETRIC_SIGN', check: (k: KeyObject | undefined) => k?.asymmetricKeyType === 'rsa' && k.asymmetricKeyDetails?.modulusLength === bits }],
    [`RSA_DECRYPT_OAEP_${bits}_SHA256`, { purpose: 'ASYMMETRIC_DECRYPT', check: (k: KeyObject | undefined) => k?.asymmetricKeyType === 'rsa' && k.asymmetricKeyDetails?.modulusLength === bits }],
  ])),
  EC_SIGN_P256_SHA256: { purpose: 'ASYMMETRIC_SIGN', check: (k) => k?.asymmetricKeyDetails?.namedCurve === 'prime256v1' },
  EC_SIGN_P384_SHA384: { purpose: 'ASYMMETRIC_SIGN', check: (k) => k?.asymmetricKeyDetails?.namedCurve === 'secp384r1' },
};
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * The SDK's REST transport asks for `$alt=json;enum-encoding=int`, so enums arrive as numbers:
 * their names come from the client library's own proto descriptors (protos.json).
 */
const V1 = (createRequire(import.meta.url)('@google-cloud/kms/build/protos/protos.json') as any).nested.google.nested.cloud.nested.kms.nested.v1.nested;
const ENUMS: Readonly<Record<string, Record<string, number>>> = {
  purpose: V1.CryptoKey.nested.CryptoKeyPurpose.values,
  protectionLevel: V1.ProtectionLevel.values,
  algorithm: V1.CryptoKeyVersion.nested.CryptoKeyVersionAlgorithm.values,
  importMethod: V1.ImportJob.nested.ImportMethod.values,
  state: V1.CryptoKeyVersion.nested.CryptoKeyVersionState.values,
};

/** Enum fields (at any depth) as names, whether they came as names or numbers. */
function enumNames(value: any): any {
  if (Array.isArray(value)) return value.map(enumNames);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const table = ENUMS[k];
    out[k] = table && typeof v === 'number' ? Object.keys(table).find((name) => table[name] === v) ?? v : enumNames(v);
  }
  return out;
}


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
  const importJobs = new Map<string, ImportJob>();
  const accounts = new Map<string, KeyObject>();
  const accessTokens = new Set<string>();
  const calls: string[] = [];
  const failures = createFailureSwitch();
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

  function versionJson(key: GcpKmsStandinKey, i: number): Record<string, unknown> {
    const v = key.versions[i];
    return { name: versionName(key, i), state: v.state, algorithm: v.algorithm ?? 'GOOGLE_SYMMETRIC_ENCRYPTION', protectionLevel: key.protectionLevel ?? 'SOFTWARE',
      ...(v.importJob ? { importJob: v.importJob } : {}) };
  }

  function importJobJson(job: ImportJob): Record<string, unknown> {
    const active = job.reads > 0;
    return { name: job.name, importMethod: job.importMethod, protectionLevel: job.protectionLevel, state: active ? 'ACTIVE' : 'PENDING_GENERATION',
      ...(active ? { publicKey: { pem: job.publicPem } } : {}) };
  }

  /** Key-ring level calls and the import-related version calls; undefined when the path is not one. */
  function importOperation(method: string, path: string, query: URLSearchParams, body: Record<string, any>): Record<string, unknown> | undefined {
    const ring = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+)\/(cryptoKeys|importJobs)(?:\/([^/:]+))?$/.exec(path);
    if (ring && ring[2] === 'cryptoKeys' && !ring[3] && method === 'POST') {
      const id = query.get('cryptoKeyId') ?? '';
      if (!/^[A-Za-z0-9_-]{1,63}$/.test(id)) throw new RpcError(400, 'INVALID_ARGUMENT', 'crypto_key_id is invalid');
      const name = `${ring[1]}/cryptoKeys/${id}`;
      if (keys.has(name)) throw new RpcError(409, 'ALREADY_EXISTS', `CryptoKey ${name} already exists.`);
      const algorithm = String(body.versionTemplate?.algorithm ?? 'GOOGLE_SYMMETRIC_ENCRYPTION');
      const facts = IMPORT_ALGORITHMS[algorithm];
      if (!facts || facts.purpose !== body.purpose) throw new RpcError(400, 'INVALID_ARGUMENT', 'The version template algorithm does not fit the purpose.');
      if (query.get('skipInitialVersionCreation') !== 'true' || body.importOnly !== true) throw new RpcError(400, 'INVALID_ARGUMENT', 'this stand-in creates only import-only keys without an initial version');
      const key: GcpKmsStandinKey = { name, versions: [], primary: -1, purpose: body.purpose, importOnly: true, protectionLevel: String(body.versionTemplate?.protectionLevel ?? 'SOFTWARE'), algorithm };
      keys.set(name, key);
      return { name, purpose: key.purpose, importOnly: true, versionTemplate: { algorithm, protectionLevel: key.protectionLevel } };
    }
    if (ring && ring[2] === 'importJobs' && !ring[3] && method === 'POST') {
      const id = query.get('importJobId') ?? '';
      if (!/^[A-Za-z0-9_-]{1,63}$/.test(id)) throw new RpcError(400, 'INVALID_ARGUMENT', 'import_job_id is invalid');
      const name = `${ring[1]}/importJobs/${id}`;
      if (importJobs.has(name)) throw new RpcError(409, 'ALREADY_EXISTS', `ImportJob ${name} already exists.`);
      if (body.importMethod !== 'RSA_OAEP_3072_SHA256_AES_256') throw new RpcError(400, 'INVALID_ARGUMENT', 'this stand-in supports import method RSA_OAEP_3072_SHA256_AES_256 only');
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
      const job: ImportJob = { name, importMethod: body.importMethod, protectionLevel: String(body.protectionLevel ?? 'SOFTWARE'), privateKey,
        publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), reads: 0 };
      importJobs.set(name, job);
      return importJobJson(job);
    }
    if (ring && ring[2] === 'importJobs' && ring[3] && method === 'GET') {
      const job = importJobs.get(`${ring[1]}/importJobs/${ring[3]}`);
      if (!job) throw new RpcError(404, 'NOT_FOUND', 'ImportJob not found.');
      const out = importJobJson(job);
      job.reads++;
      return out;
    }
    const imp = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/:]+)\/cryptoKeyVersions:import$/.exec(path);
    if (imp && method === 'POST') {
      const key = findKey(imp[1]);
      const job = importJobs.get(String(body.importJob ?? ''));
      if (!job || job.reads === 0) throw new RpcError(400, 'FAILED_PRECONDITION', 'The import job is not active.');
      if (job.protectionLevel !== key.protectionLevel) throw new RpcError(400, 'FAILED_PRECONDITION', 'The import job protection level does not match the key.');
      const algorithm = String(body.algorithm ?? '');
      const facts = IMPORT_ALGORITHMS[algorithm];
      if (!facts || facts.purpose !== key.purpose) throw new RpcError(400, 'INVALID_ARGUMENT', 'The algorithm does not fit the key purpose.');
      const wrapped = Buffer.from(String(body.wrappedKey ?? ''), 'base64');
      let target: Buffer;
      try {
        const ephemeral = privateDecrypt({ key: job.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped.subarray(0, 384));
        const d = createDecipheriv('id-aes256-wrap-pad', ephemeral, Buffer.from('A65959A6', 'hex'));
        target = Buffer.concat([d.update(wrapped.subarray(384)), d.final()]);
      } catch {
        throw new RpcError(400, 'INVALID_ARGUMENT', 'The wrapped key could not be unwrapped with the import job key.');
      }
      let privateKey: KeyObject | undefined;
      if (algorithm !== 'GOOGLE_SYMMETRIC_ENCRYPTION') {
        try { privateKey = createPrivateKey({ key: target, format: 'der', type: 'pkcs8' }); } catch { throw new RpcError(400, 'INVALID_ARGUMENT', 'The key material is not a PKCS#8 private key.'); }
      }
      if (!facts.check(privateKey, target)) throw new RpcError(400, 'INVALID_ARGUMENT', 'The key material does not match the algorithm.');
      key.versions.push({ material: privateKey ? Buffer.alloc(0) : target, privateKey, algorithm, state: 'PENDING_IMPORT', importJob: job.name });
      return versionJson(key, key.versions.length - 1);
    }
    const ver = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/:]+)(?:\/cryptoKeyVersions\/(\d+))?(?::(updatePrimaryVersion|destroy|asymmetricSign))?$/.exec(path);
    if (!ver) return undefined;
    const [, keyPath, versionText, verb] = ver;
    if (verb === 'updatePrimaryVersion' && !versionText && method === 'POST') {
      const key = findKey(keyPath);
      const index = Number(body.cryptoKeyVersionId) - 1;
      if (key.purpose !== undefined && key.purpose !== 'ENCRYPT_DECRYPT') throw new RpcError(400, 'FAILED_PRECONDITION', 'Only symmetric keys have a primary version.');
      if (key.versions[index]?.state !== 'ENABLED') throw new RpcError(400, 'FAILED_PRECONDITION', 'The new primary version must be ENABLED.');
      key.primary = index;
      return { name: key.name, purpose: key.purpose ?? 'ENCRYPT_DECRYPT', primary: versionJson(key, index) };
    }
    if (!versionText) return undefined;
    const key = findKey(keyPath);
    const index = Number(versionText) - 1;
    const version = key.versions[index];
    if (!version) throw new RpcError(404, 'NOT_FOUND', 'CryptoKeyVersion not found.');
    if (method === 'GET' && !verb) {
      const out = versionJson(key, index);
      if (version.state === 'PENDING_IMPORT') version.state = 'ENABLED';
      return out;
    }
    if (method === 'PATCH' && !verb) {
      if (query.get('updateMask') !== 'state' || (body.state !== 'ENABLED' && body.state !== 'DISABLED')) throw new RpcError(400, 'INVALID_ARGUMENT', 'only state ENABLED or DISABLED may be updated here');
      if (version.state !== 'ENABLED' && version.state !== 'DISABLED') throw new RpcError(400, 'FAILED_PRECONDITION', `The version is ${version.state}.`);
      version.state = body.state;
      return versionJson(key, index);
    }
    if (method === 'POST' && verb === 'destroy') {
      if (version.state === 'DESTROY_SCHEDULED') throw new RpcError(400, 'FAILED_PRECONDITION', 'The version is already scheduled for destruction.');
      version.state = 'DESTROY_SCHEDULED';
      return versionJson(key, index);
    }
    if (method === 'POST' && verb === 'asymmetricSign') {
      if (version.state !== 'ENABLED') throw new RpcError(400, 'FAILED_PRECONDITION', `${versionName(key, index)} is not enabled, current state is: ${version.state}.`);
      if (!version.algorithm?.startsWith('RSA_SIGN_PKCS1_') || !version.privateKey) throw new RpcError(400, 'FAILED_PRECONDITION', 'this stand-in signs with RSA_SIGN_PKCS1_* versions only');
      const digest = Buffer.from(String(body.digest?.sha256 ?? ''), 'base64');
      if (digest.length !== 32) throw new RpcError(400, 'INVALID_ARGUMENT', 'digest.sha256 must be 32 bytes');
      const signature = privateEncrypt({ key: version.privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest]));
      return { signature: signature.toString('base64'), name: versionName(key, index) };
    }
    return undefined;
  }

  function operation(method: string, path: string, body: Record<string, any>, query: URLSearchParams = new URLSearchParams()): Record<string, unknown> {
    const imported = importOperation(method, path, query, body);
    if (imported) return imported;
    const m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/:]+)(?:\/cryptoKeyVersions\/(\d+))?(?::(encrypt|decrypt))?$/.exec(path);
    if (!m) throw new RpcError(404, 'NOT_FOUND', 'unknown path');
    const [, name, versionText, verb] = m;
    const key = findKey(name);
    if (method === 'GET' && !verb && !versionText) {
      return { name: key.name, purpose: key.purpose ?? 'ENCRYPT_DECRYPT',
        ...(key.primary >= 0 ? { primary: { name: versionName(key, key.primary), state: key.versions[key.primary].state, algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION' } } : {}) };
    }
    if (method !== 'POST' || !verb) throw new RpcError(404, 'NOT_FOUND', 'unknown method');
    const aad = Buffer.from(String(body.additionalAuthenticatedData ?? ''), 'base64');
    if (verb === 'encrypt') {
      const index = versionText ? Number(versionText) - 1 : key.primary;
      const version = key.versions[index];
      if (key.purpose !== undefined && key.purpose !== 'ENCRYPT_DECRYPT') throw new RpcError(400, 'FAILED_PRECONDITION', 'The key purpose is not ENCRYPT_DECRYPT.');
      if (!version) throw new RpcError(404, 'NOT_FOUND', 'CryptoKeyVersion not found.');
      if (version.state !== 'ENABLED') throw new RpcError(400, 'FAILED_PRECONDITION', `${versionName(key, index)} is not enabled, current state is: ${version.state}.`);
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
    if (version.state !== 'ENABLED') throw new RpcError(400, 'FAILED_PRECONDITION', `${versionName(key, index)} is not enabled, current state is: ${version.state}.`);
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
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname;
      calls.push(`${req.method} ${path}`);
      let status = 200;
      let out: Record<string, unknown>;
      try {
        if (path === '/token') {
          out = token(text);
        } else {
          authenticate(req);
          const failing = failures.take();
          if (failing) {
            if (failing === 'throttle') throw new RpcError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric \'Cryptographic requests\'.');
            throw new RpcError(403, 'PERMISSION_DENIED', "Permission 'cloudkms.cryptoKeyVersions.useToEncrypt' denied on resource (or it may not exist).");
          }
          let body: Record<string, any>;
          try { body = text ? JSON.parse(text) : {}; } catch { throw new RpcError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'); }
          out = operation(req.method ?? 'GET', decodeURIComponent(path), enumNames(body), url.searchParams);
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

  const listener = await startRestartableServer(() => createServer(handle));
  const port = listener.port;
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
    failNext: failures.failNext,
    clearFailures: failures.clearFailures,
    start: listener.start,
    stop: listener.stop,
    close: listener.stop,
  };
}

export type GcpKmsStandin = Awaited<ReturnType<typeof startGcpKmsStandin>>;
