/**
 * An AWS KMS stand-in for tests: speaks the JSON 1.1 protocol (POST /, X-Amz-Target
 * TrentService.<Op>, application/x-amz-json-1.1, errors as {"__type","message"}) for exactly
 * the calls the awskms seal makes — Encrypt, Decrypt, DescribeKey — and the keymgmt engine's
 * bring-your-own-key calls — CreateKey (Origin EXTERNAL), GetParametersForImport,
 * ImportKeyMaterial, Create/Update/DeleteAlias, Enable/DisableKey, ScheduleKeyDeletion — and
 * checks every request's
 * SigV4 signature (canonical request, string to sign, HMAC-SHA256 key derivation) against the
 * access keys it was given. Cryptography is real: each key has AES-256 key material versions
 * (rotation adds one); a CiphertextBlob is
 *   "AKMS" ‖ key uuid (36 ASCII) ‖ material version u32 BE ‖ iv 12 ‖ AES-256-GCM(ct ‖ tag)
 * with the 44-byte header as AAD, so it embeds the version like the real service's blobs.
 * Imports are real too: GetParametersForImport hands out a fresh RSA wrapping key pair and an
 * import token; ImportKeyMaterial decrypts the wrapped material with that private key
 * (RSAES_OAEP_SHA_256 or _SHA_1) and it becomes the key's only material version.
 *
 * Failure injection: `failNext('throttle'|'deny', n)`, `setEnabled(key, false)`, `stop()` /
 * `start()` (network down / back on the same port).
 */
import { constants, createCipheriv, createDecipheriv, createHash, createHmac, generateKeyPairSync, privateDecrypt, randomBytes, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createFailureSwitch, startRestartableServer } from './standin-server.js';

export interface AwsKmsStandinKey {
  keyId: string;
  arn: string;
  enabled: boolean;
  versions: Buffer[];
  origin?: 'AWS_KMS' | 'EXTERNAL';
  description?: string;
  tags?: Record<string, string>;
  /** Set by ScheduleKeyDeletion (days). */
  pendingDeletionDays?: number;
}

interface ImportParameters { keyId: string; privateKey: KeyObject; hash: 'sha256' | 'sha1'; validTo: number }

const WRAPPING_ALGORITHMS: Readonly<Record<string, 'sha256' | 'sha1'>> = { RSAES_OAEP_SHA_256: 'sha256', RSAES_OAEP_SHA_1: 'sha1' };
const WRAPPING_KEY_SPECS: Readonly<Record<string, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };


const ACCOUNT = '111122223333';
const MAGIC = Buffer.from('AKMS');
const HEADER_BYTES = 4 + 36 + 4;

class KmsError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

export async function startAwsKmsStandin(options: { region?: string; credentials?: Record<string, string> } = {}) {
  const region = options.region ?? 'us-east-1';
  const credentials = options.credentials ?? { AKIASTANDIN0000000001: 'standin-secret-key' };
  const keys = new Map<string, AwsKmsStandinKey>();
  const aliases = new Map<string, string>();
  const imports = new Map<string, ImportParameters>();
  const calls: string[] = [];
  const failures = createFailureSwitch();

  function resolve(id: unknown): AwsKmsStandinKey {
    if (typeof id !== 'string' || id === '') throw new KmsError('ValidationException', 'KeyId is required');
    let name = id;
    const arn = /^arn:aws:kms:[^:]+:\d+:(key\/.+|alias\/.+)$/.exec(id);
    if (arn) name = arn[1].startsWith('key/') ? arn[1].slice(4) : arn[1];
    if (name.startsWith('alias/')) name = aliases.get(name) ?? '';
    const key = keys.get(name);
    if (!key) throw new KmsError('NotFoundException', 'Key does not exist');
    return key;
  }

  function state(key: AwsKmsStandinKey): string {
    if (key.pendingDeletionDays !== undefined) return 'PendingDeletion';
    if (key.versions.length === 0) return 'PendingImport';
    return key.enabled ? 'Enabled' : 'Disabled';
  }

  function usable(key: AwsKmsStandinKey): void {
    if (key.pendingDeletionDays !== undefined || key.versions.length === 0) throw new KmsError('KMSInvalidStateException', `${key.arn} is ${state(key)}`);
    if (!key.enabled) throw new KmsError('DisabledException', `${key.arn} is disabled.`);
  }

  function metadata(key: AwsKmsStandinKey): Record<string, unknown> {
    return { AWSAccountId: ACCOUNT, KeyId: key.keyId, Arn: key.arn, Enabled: state(key) === 'Enabled', KeyState: state(key),
      KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT', Origin: key.origin ?? 'AWS_KMS', KeyManager: 'CUSTOMER', CreationDate: 1.7e9,
      Description: key.description ?? '', ...(key.origin === 'EXTERNAL' ? { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } : {}) };
  }

  function aliasName(value: unknown): string {
    const name = String(value ?? '');
    if (!/^alias\/[A-Za-z0-9:/_-]{1,250}$/.test(name)) throw new KmsError('ValidationException', 'AliasName must start with alias/ and use only [a-zA-Z0-9:/_-]');
    if (name.startsWith('alias/aws/')) throw new KmsError('NotFoundException', 'alias/aws/ is reserved');
    return name;
  }

  function changeKey(id: unknown): AwsKmsStandinKey {
    const key = resolve(id);
    if (key.pendingDeletionDays !== undefined) throw new KmsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
    return key;
  }

  function encrypt(key: AwsKmsStandinKey, plaintext: Buffer): Buffer {
    const version = key.versions.length - 1;
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    header.write(key.keyId, 4, 'ascii');
    header.writeUInt32BE(version, 40);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key.versions[version], iv);
    c.setAAD(header);
    return Buffer.concat([header, iv, c.update(plaintext), c.final(), c.getAuthTag()]);
  }

  function decrypt(blob: Buffer): { key: AwsKmsStandinKey; plaintext: Buffer } {
    const invalid = new KmsError('InvalidCiphertextException', '');
    if (blob.length < HEADER_BYTES + 12 + 16 || !blob.subarray(0, 4).equals(MAGIC)) throw invalid;
    const key = keys.get(blob.toString('ascii', 4, 40));
    const material = key?.versions[blob.readUInt32BE(40)];
    if (!key || !material) throw invalid;
    usable(key);
    try {
      const d = createDecipheriv('aes-256-gcm', material, blob.subarray(HEADER_BYTES, HEADER_BYTES + 12));
      d.setAAD(blob.subarray(0, HEADER_BYTES));
      d.setAuthTag(blob.subarray(blob.length - 16));
      return { key, plaintext: Buffer.concat([d.update(blob.subarray(HEADER_BYTES + 12, blob.length - 16)), d.final()]) };
    } catch {
      throw invalid;
    }
  }

  /** SigV4 (AWS4-HMAC-SHA256) verification of a header-signed request. */
  function verifySignature(req: IncomingMessage, body: Buffer): void {
    const auth = req.headers.authorization ?? '';
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) throw new KmsError('IncompleteSignatureException', 'Authorization header is not a SigV4 signature');
    const [, accessKey, date, signedRegion, service, signedHeaders, signature] = m;
    const secret = credentials[accessKey];
    if (secret === undefined) throw new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    if (!amzDate.startsWith(date) || signedRegion !== region || service !== 'kms') throw new KmsError('InvalidSignatureException', 'credential scope mismatch');
    const names = signedHeaders.split(';');
    if (!names.includes('host') || !names.includes('x-amz-date')) throw new KmsError('InvalidSignatureException', 'host and x-amz-date must be signed');
    const canonicalHeaders = names.map((n) => {
      const v = req.headers[n];
      return `${n}:${(Array.isArray(v) ? v.join(',') : v ?? '').trim().replace(/\s+/g, ' ')}\n`;
    }).join('');
    const url = new URL(req.url ?? '/', 'http://x');
    const query = [...url.searchParams].map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]).sort().map(([k, v]) => `${k}=${v}`).join('&');
    const payloadHash = createHash('sha256').update(body).digest('hex');
    const canonical = [req.method, url.pathname, query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
    const scope = `${date}/${signedRegion}/${service}/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
    let k: Buffer = createHmac('sha256', `AWS4${secret}`).update(date).digest();
    for (const part of [signedRegion, service, 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
    const expected = createHmac('sha256', k).update(toSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
      throw new KmsError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
    }
  }

  function operation(target: string, input: Record<string, any>): Record<string, unknown> {
    switch (target) {
      case 'TrentService.DescribeKey': {
        return { KeyMetadata: metadata(resolve(input.KeyId)) };
      }
      case 'TrentService.CreateKey': {
        const origin = input.Origin ?? 'AWS_KMS';
        if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') throw new KmsError('UnsupportedOperationException', `Origin ${origin} is not supported here`);
        if ((input.KeySpec ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT' || (input.KeyUsage ?? 'ENCRYPT_DECRYPT') !== 'ENCRYPT_DECRYPT') {
          throw new KmsError('ValidationException', 'this stand-in makes only SYMMETRIC_DEFAULT ENCRYPT_DECRYPT keys');
        }
        const keyId = randomUUID();
        const tags: Record<string, string> = {};
        for (const t of input.Tags ?? []) tags[String(t.TagKey)] = String(t.TagValue);
        const key: AwsKmsStandinKey = { keyId, arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`, enabled: true,
          versions: origin === 'EXTERNAL' ? [] : [randomBytes(32)], origin, description: String(input.Description ?? ''), tags };
        keys.set(keyId, key);
        return { KeyMetadata: metadata(key) };
      }
      case 'TrentService.GetParametersForImport': {
        const key = changeKey(input.KeyId);
        if (key.origin !== 'EXTERNAL') throw new KmsError('UnsupportedOperationException', 'the key origin is not EXTERNAL');
        const hash = WRAPPING_ALGORITHMS[String(input.WrappingAlgorithm)];
        const bits = WRAPPING_KEY_SPECS[String(input.WrappingKeySpec)];
        if (!hash || !bits) throw new KmsError('ValidationException', 'unsupported WrappingAlgorithm or WrappingKeySpec');
        const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
        const token = randomBytes(64);
        const validTo = Math.floor(Date.now() / 1000) + 24 * 3600;
        imports.set(token.toString('base64'), { keyId: key.keyId, privateKey, hash, validTo });
        return { KeyId: key.arn, ImportToken: token.toString('base64'), PublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), ParametersValidTo: validTo };
      }
      case 'TrentService.ImportKeyMaterial': {
        const key = changeKey(input.KeyId);
        const token = String(input.ImportToken ?? '');
        const params = imports.get(token);
        if (!params || params.keyId !== key.keyId || params.validTo * 1000 < Date.now()) throw new KmsError('InvalidImportTokenException', 'The import token is invalid for this key.');
        if (input.ExpirationModel === 'KEY_MATERIAL_EXPIRES' && input.ValidTo === undefined) throw new KmsError('ValidationException', 'ValidTo is required when key material expires');
        let material: Buffer;
        try {
          material = privateDecrypt({ key: params.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: params.hash }, Buffer.from(String(input.EncryptedKeyMaterial ?? ''), 'base64'));
        } catch {
          throw new KmsError('InvalidCiphertextException', 'The key material could not be decrypted with the wrapping key.');
        }
        if (material.length !== 32) throw new KmsError('IncorrectKeyMaterialException', 'Symmetric key material must be 256 bits.');
        if (key.versions.length > 0 && !key.versions[0].equals(material)) throw new KmsError('IncorrectKeyMaterialException', 'The key material does not match the material previously imported into this key.');
        imports.delete(token);
        key.versions = [material];
        return {};
      }
      case 'TrentService.CreateAlias': {
        const name = aliasName(input.AliasName);
        if (aliases.has(name)) throw new KmsError('AlreadyExistsException', `An alias with the name ${name} already exists`);
        aliases.set(name, changeKey(input.TargetKeyId).keyId);
        return {};
      }
      case 'TrentService.UpdateAlias': {
        const name = aliasName(input.AliasName);
        if (!aliases.has(name)) throw new KmsError('NotFoundException', `Alias ${name} is not found.`);
        aliases.set(name, changeKey(input.TargetKeyId).keyId);
        return {};
      }
      case 'TrentService.DeleteAlias': {
        const name = aliasName(input.AliasName);
        if (!aliases.delete(name)) throw new KmsError('NotFoundException', `Alias ${name} is not found.`);
        return {};
      }
      case 'TrentService.EnableKey':
      case 'TrentService.DisableKey': {
        const key = changeKey(input.KeyId);
        if (key.versions.length === 0) throw new KmsError('KMSInvalidStateException', `${key.arn} is pending import.`);
        key.enabled = target === 'TrentService.EnableKey';
        return {};
      }
      case 'TrentService.ScheduleKeyDeletion': {
        const key = changeKey(input.KeyId);
        const days = input.PendingWindowInDays ?? 30;
        if (!Number.isInteger(days) || days < 7 || days > 30) throw new KmsError('ValidationException', 'PendingWindowInDays must be between 7 and 30');
        key.pendingDeletionDays = days;
        return { KeyId: key.arn, KeyState: 'PendingDeletion', PendingWindowInDays: days, DeletionDate: Math.floor(Date.now() / 1000) + days * 86400 };
      }
      case 'TrentService.Encrypt': {
        const key = resolve(input.KeyId);
        usable(key);
        const plaintext = Buffer.from(String(input.Plaintext ?? ''), 'base64');
        if (plaintext.length < 1 || plaintext.length > 4096) throw new KmsError('ValidationException', 'Plaintext length must be 1..4096');
        return { CiphertextBlob: encrypt(key, plaintext).toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
      }
      case 'TrentService.Decrypt': {
        const { key, plaintext } = decrypt(Buffer.from(String(input.CiphertextBlob ?? ''), 'base64'));
        if (input.KeyId !== undefined && resolve(input.KeyId) !== key) throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext.');
        return { Plaintext: plaintext.toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
      }
      default:
        throw new KmsError('UnknownOperationException', '');
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      calls.push(target.replace('TrentService.', ''));
      let status = 200;
      let out: Record<string, unknown>;
      try {
        if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-amz-json-1.1') throw new KmsError('SerializationException', 'expected application/x-amz-json-1.1');
        verifySignature(req, body);
        const failing = failures.take();
        if (failing) {
          if (failing === 'throttle') throw new KmsError('ThrottlingException', 'Rate exceeded');
          throw new KmsError('AccessDeniedException', 'User is not authorized to perform: kms:Encrypt on this resource');
        }
        let input: Record<string, any>;
        try { input = JSON.parse(body.toString('utf8') || '{}'); } catch { throw new KmsError('SerializationException', 'invalid JSON'); }
        out = operation(target, input);
      } catch (err) {
        if (!(err instanceof KmsError)) throw err;
        status = err.status;
        out = { __type: err.type, message: err.message };
      }
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(out));
    });
  }

  const listener = await startRestartableServer(() => createServer(handle));
  const port = listener.port;

  return {
    region,
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: Object.keys(credentials)[0],
    secretAccessKey: Object.values(credentials)[0],
    /** Operation names in the order they arrived (e.g. "Encrypt"). */
    calls,
    createKey(alias?: string): AwsKmsStandinKey {
      const keyId = randomUUID();
      const key = { keyId, arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`, enabled: true, versions: [randomBytes(32)] };
      keys.set(keyId, key);
      if (alias) aliases.set(`alias/${alias}`, keyId);
      return key;
    },
    /** Test-only look-ups: a key by id or alias (e.g. "alias/arca/x"), and where an alias points. */
    key: (id: string): AwsKmsStandinKey | undefined => keys.get(id.startsWith('alias/') ? aliases.get(id) ?? '' : id),
    aliasTarget: (alias: string): string | undefined => aliases.get(alias),
    /** Every key the stand-in holds, oldest first. */
    allKeys: (): AwsKmsStandinKey[] => [...keys.values()],
    /** New key material; old versions still decrypt (as AWS rotation behaves). */
    rotate(key: AwsKmsStandinKey): void {
      key.versions.push(randomBytes(32));
    },
    setEnabled(key: AwsKmsStandinKey, enabled: boolean): void {
      key.enabled = enabled;
    },
    failNext: failures.failNext,
    clearFailures: failures.clearFailures,
    start: listener.start,
    stop: listener.stop,
    close: listener.stop,
  };
}

export type AwsKmsStandin = Awaited<ReturnType<typeof startAwsKmsStandin>>;
