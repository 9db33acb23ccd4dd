/**
 * The transit keyring: a named key with numbered versions and every operation on it
 * (encrypt, decrypt, sign, verify, hmac, export, rotate, trim, config). Pure: no HTTP types,
 * no storage; callers load and persist keys through store.ts.
 *
 * Facts kept from Vault (sdk/helper/keysutil/policy.go):
 * - derived keys: HKDF-SHA256(ikm = version key, salt = empty, info = context); the base key is
 *   never used directly and a context is required;
 * - convergent encryption (version 3): derive enc-key ‖ 32-byte HMAC key from the context; the
 *   nonce is HMAC-SHA256(hmac key, plaintext) truncated to 12 bytes, stored before the
 *   ciphertext. A caller-supplied nonce is always refused (nonce reuse: CVE-2023 class);
 * - AEAD payload: nonce (12) ‖ ciphertext ‖ tag (16); RSA: OAEP with SHA-256, no label;
 * - every version also has a 32-byte HMAC key (the `hmac` type uses its own key instead).
 */
import {
  constants, createCipheriv, createDecipheriv, createHash, createHmac, privateDecrypt, privateEncrypt,
  publicDecrypt, publicEncrypt, sign as cryptoSign, timingSafeEqual, verify as cryptoVerify, type KeyObject,
} from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { hkdfSha256 } from '../../crypto/hkdf.js';
import { pooledRandomBytes } from '../../crypto/random-pool.js';
import { decodeBase64, decodeBase64Url, formatVersioned, parseVersioned } from './ciphertext.js';
import { ed25519FromSeed, MATERIAL_OPS, type Material, type RandomSource } from './key-material.js';
import {
  DEFAULT_HASH, HMAC_MAX_KEY_BYTES, HMAC_MIN_KEY_BYTES, hashSpec, keyTypeSpec, VERSION_HMAC_KEY_BYTES,
  type ExportType, type HashSpec, type KeyTypeSpec,
} from './key-types.js';

export const CONVERGENT_VERSION = 3;
export const ERR_TOO_OLD = 'ciphertext or signature version is disallowed by policy (too old)';
const DECRYPT_FAILED = 'invalid ciphertext: unable to decrypt';
const MIN_AUTO_ROTATE_SECONDS = 3600;

export interface KeyVersion {
  material: Material;
  hmacKey: Buffer;
  createdAt: Date;
}

export interface TransitKey {
  name: string;
  type: string;
  derived: boolean;
  convergent: boolean;
  /** 3 for convergent keys, -1 otherwise. */
  convergentVersion: number;
  exportable: boolean;
  allowPlaintextBackup: boolean;
  deletionAllowed: boolean;
  /** Seconds; 0 disables automatic rotation. */
  autoRotatePeriod: number;
  /** HMAC key length in bytes for the `hmac` type; 0 otherwise. */
  keySize: number;
  minDecryptionVersion: number;
  /** 0 = the latest version. */
  minEncryptionVersion: number;
  minAvailableVersion: number;
  latestVersion: number;
  versions: Map<number, KeyVersion>;
  backupInfo?: { time: string; version: number };
  restoreInfo?: { time: string; version: number };
}

export interface CreateOptions {
  name: string;
  type: string;
  derived?: boolean;
  convergent?: boolean;
  exportable?: boolean;
  allowPlaintextBackup?: boolean;
  autoRotatePeriod?: number;
  keySize?: number;
}

const specOf = (key: TransitKey): KeyTypeSpec => keyTypeSpec(key.type);

function checkAutoRotate(seconds: number): void {
  if (seconds !== 0 && seconds < MIN_AUTO_ROTATE_SECONDS) {
    throw new InvalidRequest('auto rotate period must be 0 to disable or at least an hour');
  }
}

async function newVersion(spec: KeyTypeSpec, keySize: number, random: RandomSource, now: Date): Promise<KeyVersion> {
  const material = await MATERIAL_OPS[spec.material].generate(spec, random, keySize || spec.keyBytes || 0);
  return { material, hmacKey: await random(VERSION_HMAC_KEY_BYTES), createdAt: now };
}

export async function createKey(opts: CreateOptions, random: RandomSource, now = new Date()): Promise<TransitKey> {
  const spec = keyTypeSpec(opts.type);
  const derived = opts.derived === true;
  const convergent = opts.convergent === true;
  if (derived && !spec.derivation) throw new InvalidRequest(`key derivation not supported for key type ${spec.name}`);
  if (convergent && !spec.encryption) throw new InvalidRequest(`convergent encryption not supported for key type ${spec.name}`);
  if (convergent && !spec.aead) throw new InvalidRequest(`convergent encryption not supported for key type ${spec.name}`);
  if (convergent && !derived) throw new InvalidRequest('convergent encryption requires derivation to be enabled');
  let keySize = 0;
  if (opts.keySize !== undefined && opts.keySize !== 0) {
    if (spec.name !== 'hmac') throw new InvalidRequest('key_size is only valid for hmac keys');
    if (opts.keySize < HMAC_MIN_KEY_BYTES || opts.keySize > HMAC_MAX_KEY_BYTES) {
      throw new InvalidRequest(`invalid key_size: must be between ${HMAC_MIN_KEY_BYTES} and ${HMAC_MAX_KEY_BYTES} bytes`);
    }
    keySize = opts.keySize;
  } else if (spec.name === 'hmac') {
    keySize = spec.keyBytes!;
  }
  const autoRotatePeriod = opts.autoRotatePeriod ?? 0;
  checkAutoRotate(autoRotatePeriod);
  const first = await newVersion(spec, keySize, random, now);
  return {
    name: opts.name,
    type: spec.name,
    derived,
    convergent,
    convergentVersion: convergent ? CONVERGENT_VERSION : -1,
    exportable: opts.exportable === true,
    allowPlaintextBackup: opts.allowPlaintextBackup === true,
    deletionAllowed: false,
    autoRotatePeriod,
    keySize,
    minDecryptionVersion: 1,
    minEncryptionVersion: 0,
    minAvailableVersion: 0,
    latestVersion: 1,
    versions: new Map([[1, first]]),
  };
}

export async function rotateKey(key: TransitKey, random: RandomSource, now = new Date()): Promise<void> {
  const version = key.latestVersion + 1;
  key.versions.set(version, await newVersion(specOf(key), key.keySize, random, now));
  key.latestVersion = version;
}

/** Whether automatic rotation is due: the latest version is older than the period. */
export function rotationDue(key: TransitKey, now: Date): boolean {
  if (key.autoRotatePeriod <= 0) return false;
  const latest = key.versions.get(key.latestVersion)!;
  return now.getTime() - latest.createdAt.getTime() >= key.autoRotatePeriod * 1000;
}

export interface ConfigChanges {
  minDecryptionVersion?: number;
  minEncryptionVersion?: number;
  deletionAllowed?: boolean;
  exportable?: boolean;
  allowPlaintextBackup?: boolean;
  autoRotatePeriod?: number;
}

/** Applies a config update in place; returns warnings. Validates everything before changing anything. */
export function updateConfig(key: TransitKey, changes: ConfigChanges): string[] {
  const warnings: string[] = [];
  let minDec = key.minDecryptionVersion;
  let minEnc = key.minEncryptionVersion;
  if (changes.minDecryptionVersion !== undefined) {
    minDec = changes.minDecryptionVersion;
    if (minDec < 0) throw new InvalidRequest('min decryption version cannot be negative');
    if (minDec === 0) {
      minDec = 1;
      warnings.push('transit key numbering starts at 1; forcing minimum to 1');
    }
    if (minDec > key.latestVersion) throw new InvalidRequest(`cannot set min decryption version of ${minDec}, latest key version is ${key.latestVersion}`);
    if (minDec < key.minAvailableVersion) throw new InvalidRequest(`cannot set min decryption version of ${minDec}, min available version is ${key.minAvailableVersion}`);
  }
  if (changes.minEncryptionVersion !== undefined) {
    minEnc = changes.minEncryptionVersion;
    if (minEnc < 0) throw new InvalidRequest('min encryption version cannot be negative');
    if (minEnc > key.latestVersion) throw new InvalidRequest(`cannot set min encryption version of ${minEnc}, latest key version is ${key.latestVersion}`);
  }
  if (minEnc > 0 && minEnc < minDec) throw new InvalidRequest('min encryption version should not be less than min decryption version');
  if (changes.exportable === false && key.exportable) throw new InvalidRequest('cannot disable exportability of a key that is exportable');
  if (changes.allowPlaintextBackup === false && key.allowPlaintextBackup) throw new InvalidRequest('cannot disable plaintext backup of a key that allows it');
  if (changes.autoRotatePeriod !== undefined) checkAutoRotate(changes.autoRotatePeriod);

  key.minDecryptionVersion = minDec;
  key.minEncryptionVersion = minEnc;
  if (changes.deletionAllowed !== undefined) key.deletionAllowed = changes.deletionAllowed;
  if (changes.exportable) key.exportable = true;
  if (changes.allowPlaintextBackup) key.allowPlaintextBackup = true;
  if (changes.autoRotatePeriod !== undefined) key.autoRotatePeriod = changes.autoRotatePeriod;
  return warnings;
}

/** Deletes versions below `minAvailable`; returns how many were removed. */
export function trimKey(key: TransitKey, minAvailable: number): number {
  if (!Number.isInteger(minAvailable) || minAvailable < 1) throw new InvalidRequest('minimum available version should be positive');
  if (minAvailable < key.minAvailableVersion) throw new InvalidRequest('minimum available version cannot be decremented');
  if (minAvailable > key.minDecryptionVersion) throw new InvalidRequest('cannot set minimum available version to a value greater than minimum decryption version');
  const minEnc = key.minEncryptionVersion || key.latestVersion;
  if (minAvailable > minEnc) throw new InvalidRequest('cannot set minimum available version to a value greater than minimum encryption version');
  let removed = 0;
  for (const version of [...key.versions.keys()]) {
    if (version < minAvailable) {
      key.versions.delete(version);
      removed++;
    }
  }
  key.minAvailableVersion = minAvailable;
  return removed;
}

// ---- version selection -------------------------------------------------------------------

/** The version to encrypt/sign/hmac with: 0 = latest; never below min_encryption_version. */
export function resolveWriteVersion(key: TransitKey, requested: number | undefined, what: string): number {
  const version = requested ?? 0;
  if (!Number.isInteger(version)) throw new InvalidRequest(`requested version for ${what} is not an integer`);
  if (version < 0) throw new InvalidRequest(`requested version for ${what} is negative`);
  if (version > key.latestVersion) throw new InvalidRequest(`requested version for ${what} is higher than the latest key version`);
  if (version === 0) return key.latestVersion;
  if (version < key.minEncryptionVersion) throw new InvalidRequest(`requested version for ${what} is less than the minimum encryption key version`);
  return version;
}

/** A version read from a ciphertext/signature/hmac: not newer than latest, not below min_decryption_version. */
function checkReadVersion(key: TransitKey, version: number, kind: string): KeyVersion {
  if (version > key.latestVersion) throw new InvalidRequest(`invalid ${kind}: version is too new`);
  if (version < key.minDecryptionVersion) throw new InvalidRequest(ERR_TOO_OLD);
  return versionEntry(key, version);
}

function versionEntry(key: TransitKey, version: number): KeyVersion {
  const entry = key.versions.get(version);
  if (!entry) throw new InvalidRequest('no such key version');
  return entry;
}

function requireContext(context: Buffer | undefined): Buffer {
  if (!context || context.length === 0) {
    throw new InvalidRequest("missing 'context' for key derivation; the key was created using a derived key, which means additional, per-request information must be included in order to perform operations with the key");
  }
  return context;
}

/** HKDF-SHA256 derivation from a version's key with the caller's context. */
export function deriveKeyBytes(base: Buffer, context: Buffer, length: number): Buffer {
  return hkdfSha256(base, Buffer.alloc(0), context, length);
}

// ---- encryption ---------------------------------------------------------------------------

export interface EncryptOptions {
  context?: Buffer;
  nonce?: Buffer;
  keyVersion?: number;
  associatedData?: Buffer;
}

function aeadSeal(spec: KeyTypeSpec, key: Buffer, nonce: Buffer, plaintext: Buffer, aad?: Buffer): Buffer {
  const cipher = createCipheriv(spec.aead!.cipher as 'aes-256-gcm', key, nonce, { authTagLength: spec.aead!.tagBytes });
  if (aad && aad.length > 0) cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

function aeadOpen(spec: KeyTypeSpec, key: Buffer, payload: Buffer, aad?: Buffer): Buffer {
  const { nonceBytes, tagBytes } = spec.aead!;
  if (payload.length < nonceBytes + tagBytes) throw new InvalidRequest('invalid ciphertext length');
  const nonce = payload.subarray(0, nonceBytes);
  const tag = payload.subarray(payload.length - tagBytes);
  const body = payload.subarray(nonceBytes, payload.length - tagBytes);
  try {
    const decipher = createDecipheriv(spec.aead!.cipher as 'aes-256-gcm', key, nonce, { authTagLength: tagBytes });
    if (aad && aad.length > 0) decipher.setAAD(aad, { plaintextLength: body.length });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new InvalidRequest(DECRYPT_FAILED);
  }
}

export function encryptValue(key: TransitKey, plaintext: Buffer, opts: EncryptOptions = {}): { ciphertext: string; version: number } {
  const spec = specOf(key);
  if (!spec.encryption) throw new InvalidRequest(`message encryption not supported for key type ${spec.name}`);
  // Nonces are never taken from callers: convergent keys derive theirs, others draw a random one.
  if (opts.nonce && opts.nonce.length > 0) throw new InvalidRequest('nonce provided when not allowed');
  if (!spec.aead && opts.associatedData && opts.associatedData.length > 0) throw new InvalidRequest(`associated_data is not supported for key type ${spec.name}`);
  const version = resolveWriteVersion(key, opts.keyVersion, 'encryption');
  const entry = versionEntry(key, version);
  let payload: Buffer;
  if (spec.aead) {
    const encBytes = spec.keyBytes!;
    if (key.convergent) {
      const material = deriveKeyBytes(entry.material.raw, requireContext(opts.context), encBytes + 32);
      const encKey = material.subarray(0, encBytes);
      const nonce = createHmac('sha256', material.subarray(encBytes)).update(plaintext).digest().subarray(0, spec.aead.nonceBytes);
      payload = aeadSeal(spec, encKey, nonce, plaintext, opts.associatedData);
    } else {
      const encKey = key.derived ? deriveKeyBytes(entry.material.raw, requireContext(opts.context), encBytes) : entry.material.raw;
      payload = aeadSeal(spec, encKey, pooledRandomBytes(spec.aead.nonceBytes), plaintext, opts.associatedData);
    }
  } else {
    try {
      payload = publicEncrypt({ key: entry.material.publicKey!, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, plaintext);
    } catch {
      throw new InvalidRequest('failed to RSA encrypt the plaintext: message too long for the key');
    }
  }
  return { ciphertext: formatVersioned(version, payload.toString('base64')), version };
}

export function decryptValue(key: TransitKey, ciphertext: string, opts: Pick<EncryptOptions, 'context' | 'associatedData' | 'nonce'> = {}): { plaintext: Buffer; version: number } {
  const spec = specOf(key);
  if (!spec.encryption) throw new InvalidRequest(`message decryption not supported for key type ${spec.name}`);
  const { version, payload: text } = parseVersioned(ciphertext, 'ciphertext');
  const entry = checkReadVersion(key, version, 'ciphertext');
  const payload = decodeBase64(text, 'the ciphertext');
  if (!spec.aead && opts.associatedData && opts.associatedData.length > 0) throw new InvalidRequest(`associated_data is not supported for key type ${spec.name}`);
  if (spec.aead) {
    const encBytes = spec.keyBytes!;
    const encKey = key.derived ? deriveKeyBytes(entry.material.raw, requireContext(opts.context), encBytes) : entry.material.raw;
    return { plaintext: aeadOpen(spec, encKey, payload, opts.associatedData), version };
  }
  try {
    return { plaintext: privateDecrypt({ key: entry.material.privateKey!, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, payload), version };
  } catch {
    throw new InvalidRequest(DECRYPT_FAILED);
  }
}

// ---- signatures ---------------------------------------------------------------------------

export type SignatureAlgorithm = 'pss' | 'pkcs1v15';
export type Marshaling = 'asn1' | 'jws';

export interface SignOptions {
  hashAlgorithm?: string;
  prehashed?: boolean;
  signatureAlgorithm?: SignatureAlgorithm;
  marshaling?: Marshaling;
  /** 'auto' | 'hash' | a byte count (RSA-PSS only). */
  saltLength?: string;
  context?: Buffer;
  keyVersion?: number;
}

interface SignPlan {
  hash?: HashSpec;
  privateKey: KeyObject;
  publicKey: KeyObject;
  derivedPublic?: Buffer;
}

function signingKeys(key: TransitKey, entry: KeyVersion, context: Buffer | undefined): SignPlan {
  if (key.derived) {
    // ed25519 is the only signing type with derivation: the derived bytes seed a new key pair.
    const derived = ed25519FromSeed(deriveKeyBytes(entry.material.raw, requireContext(context), 32));
    return { privateKey: derived.privateKey!, publicKey: derived.publicKey!, derivedPublic: derived.raw.subarray(32) };
  }
  return { privateKey: entry.material.privateKey!, publicKey: entry.material.publicKey! };
}

function saltLengthFor(opts: SignOptions, hash: HashSpec, signing: boolean): number {
  const value = opts.saltLength ?? 'auto';
  if (value === 'auto') return signing ? constants.RSA_PSS_SALTLEN_MAX_SIGN : constants.RSA_PSS_SALTLEN_AUTO;
  if (value === 'hash') return constants.RSA_PSS_SALTLEN_DIGEST;
  if (!/^\d+$/.test(value)) throw new InvalidRequest('salt_length must be "auto", "hash" or a number of bytes');
  const n = Number(value);
  if (n < hash.bytes) throw new InvalidRequest(`requested salt length ${n} is invalid`);
  return n;
}

interface SignatureScheme {
  hash: HashSpec | undefined;
  sigAlgorithm: SignatureAlgorithm;
}

function signatureScheme(spec: KeyTypeSpec, opts: SignOptions): SignatureScheme {
  const sigAlgorithm = opts.signatureAlgorithm ?? 'pss';
  if (!spec.hashesSignatureInput) return { hash: undefined, sigAlgorithm };
  const name = opts.hashAlgorithm ?? DEFAULT_HASH;
  if (name === 'none') {
    if (spec.material !== 'rsa' || sigAlgorithm !== 'pkcs1v15' || !opts.prehashed) {
      throw new InvalidRequest('hash_algorithm=none requires an RSA key, signature_algorithm=pkcs1v15 and prehashed=true');
    }
    return { hash: undefined, sigAlgorithm };
  }
  const hash = hashSpec(name);
  if (opts.prehashed) {
    if (spec.material !== 'rsa' || sigAlgorithm !== 'pkcs1v15' || !hash.digestInfo) {
      throw new InvalidRequest('prehashed input is supported only for RSA keys with signature_algorithm=pkcs1v15 and a SHA-1/SHA-2 hash in this build');
    }
  }
  return { hash, sigAlgorithm };
}

/** PKCS#1 v1.5 encoded message for a prehashed input (DigestInfo ‖ digest, or the raw input for "none"). */
function prehashedMessage(hash: HashSpec | undefined, input: Buffer): Buffer {
  if (!hash) return input;
  if (input.length !== hash.bytes) throw new InvalidRequest(`prehashed input must be ${hash.bytes} bytes for ${hash.name}`);
  return Buffer.concat([Buffer.from(hash.digestInfo!, 'hex'), input]);
}

function rsaPadding(sigAlgorithm: SignatureAlgorithm): number {
  return sigAlgorithm === 'pkcs1v15' ? constants.RSA_PKCS1_PADDING : constants.RSA_PKCS1_PSS_PADDING;
}

export function signInput(key: TransitKey, input: Buffer, opts: SignOptions = {}): { signature: string; version: number; publicKey?: Buffer } {
  const spec = specOf(key);
  if (!spec.signing) throw new InvalidRequest(`message signing not supported for key type ${spec.name}`);
  if (opts.signatureAlgorithm && spec.material !== 'rsa') throw new InvalidRequest('signature_algorithm is only valid for RSA keys');
  const version = resolveWriteVersion(key, opts.keyVersion, 'signing');
  const entry = versionEntry(key, version);
  const plan = signingKeys(key, entry, opts.context);
  const { hash, sigAlgorithm } = signatureScheme(spec, opts);
  const jws = opts.marshaling === 'jws';
  let signature: Buffer;
  if (spec.material === 'ed25519') {
    signature = cryptoSign(null, input, plan.privateKey);
  } else if (spec.material === 'ecdsa') {
    signature = cryptoSign(hash!.node, input, { key: plan.privateKey, dsaEncoding: jws ? 'ieee-p1363' : 'der' });
  } else if (opts.prehashed) {
    signature = privateEncrypt({ key: plan.privateKey, padding: constants.RSA_PKCS1_PADDING }, prehashedMessage(hash, input));
  } else {
    signature = cryptoSign(hash!.node, input, {
      key: plan.privateKey,
      padding: rsaPadding(sigAlgorithm),
      ...(sigAlgorithm === 'pss' ? { saltLength: saltLengthFor(opts, hash!, true) } : {}),
    });
  }
  const encoded = jws ? signature.toString('base64url') : signature.toString('base64');
  return { signature: formatVersioned(version, encoded), version, ...(plan.derivedPublic ? { publicKey: plan.derivedPublic } : {}) };
}

export function verifySignature(key: TransitKey, input: Buffer, signature: string, opts: SignOptions = {}): boolean {
  const spec = specOf(key);
  if (!spec.signing) throw new InvalidRequest(`message verification not supported for key type ${spec.name}`);
  if (opts.signatureAlgorithm && spec.material !== 'rsa') throw new InvalidRequest('signature_algorithm is only valid for RSA keys');
  const { version, payload } = parseVersioned(signature, 'signature');
  const entry = checkReadVersion(key, version, 'signature');
  const plan = signingKeys(key, entry, opts.context);
  const { hash, sigAlgorithm } = signatureScheme(spec, opts);
  const jws = opts.marshaling === 'jws';
  const sig = jws ? decodeBase64Url(payload, 'the signature') : decodeBase64(payload, 'the signature');
  try {
    if (spec.material === 'ed25519') return cryptoVerify(null, input, plan.publicKey, sig);
    if (spec.material === 'ecdsa') return cryptoVerify(hash!.node, input, { key: plan.publicKey, dsaEncoding: jws ? 'ieee-p1363' : 'der' }, sig);
    if (opts.prehashed) {
      const expected = prehashedMessage(hash, input);
      const recovered = publicDecrypt({ key: plan.publicKey, padding: constants.RSA_PKCS1_PADDING }, sig);
      return recovered.length === expected.length && timingSafeEqual(recovered, expected);
    }
    return cryptoVerify(hash!.node, input, {
      key: plan.publicKey,
      padding: rsaPadding(sigAlgorithm),
      ...(sigAlgorithm === 'pss' ? { saltLength: saltLengthFor(opts, hash!, false) } : {}),
    }, sig);
  } catch (err) {
    if (err instanceof InvalidRequest) throw err;
    return false;
  }
}

// ---- HMAC ----------------------------------------------------------------------------------

function hmacKeyOf(key: TransitKey, entry: KeyVersion): Buffer {
  return specOf(key).name === 'hmac' ? entry.material.raw : entry.hmacKey;
}

export function hmacInput(key: TransitKey, input: Buffer, algorithm = DEFAULT_HASH, keyVersion?: number): { hmac: string; version: number } {
  const hash = hashSpec(algorithm);
  const version = resolveWriteVersion(key, keyVersion, 'hmac');
  const entry = versionEntry(key, version);
  const mac = createHmac(hash.node, hmacKeyOf(key, entry)).update(input).digest();
  return { hmac: formatVersioned(version, mac.toString('base64')), version };
}

export function verifyHmac(key: TransitKey, input: Buffer, hmac: string, algorithm = DEFAULT_HASH): boolean {
  const hash = hashSpec(algorithm);
  const { version, payload } = parseVersioned(hmac, 'hmac');
  const entry = checkReadVersion(key, version, 'hmac');
  const given = decodeBase64(payload, 'the hmac');
  const expected = createHmac(hash.node, hmacKeyOf(key, entry)).update(input).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// ---- export and description ---------------------------------------------------------------

export const EXPORT_TYPES: readonly ExportType[] = ['encryption-key', 'signing-key', 'hmac-key', 'public-key'];

/** Export one version (a number or "latest") or, when `version` is undefined, every available one. */
export function exportKey(key: TransitKey, type: string, version?: string): Record<string, string> {
  if (!(EXPORT_TYPES as readonly string[]).includes(type)) throw new InvalidRequest(`invalid export type "${type}"`);
  const exportType = type as ExportType;
  const spec = specOf(key);
  if (exportType !== 'public-key' && !key.exportable) throw new InvalidRequest('private key material is not exportable');
  if (!spec.exportTypes.includes(exportType)) throw new InvalidRequest(`${exportType} export is not supported for key type ${spec.name}`);
  let versions: number[];
  if (version === undefined || version === '') {
    versions = [...key.versions.keys()].sort((a, b) => a - b);
  } else if (version === 'latest') {
    versions = [key.latestVersion];
  } else {
    if (!/^\d+$/.test(version)) throw new InvalidRequest('version must be a number or "latest"');
    const v = Number(version);
    if (!key.versions.has(v)) throw new InvalidRequest('version does not exist or cannot be found');
    versions = [v];
  }
  const ops = MATERIAL_OPS[spec.material];
  const out: Record<string, string> = {};
  for (const v of versions) {
    const entry = key.versions.get(v)!;
    out[String(v)] = exportType === 'hmac-key'
      ? hmacKeyOf(key, entry).toString('base64')
      : ops.exportText(entry.material, exportType);
  }
  return out;
}

/** Vault's key read body. */
export function describeKey(key: TransitKey): Record<string, unknown> {
  const spec = specOf(key);
  const ops = MATERIAL_OPS[spec.material];
  const keys: Record<string, unknown> = {};
  for (const [version, entry] of [...key.versions].sort((a, b) => a[0] - b[0])) {
    if (spec.asymmetric) {
      keys[String(version)] = {
        creation_time: entry.createdAt.toISOString(),
        name: spec.curve?.jwk ?? spec.name,
        public_key: key.derived ? '' : ops.publicKeyText(entry.material),
      };
    } else {
      keys[String(version)] = Math.floor(entry.createdAt.getTime() / 1000);
    }
  }
  return {
    name: key.name,
    type: key.type,
    derived: key.derived,
    ...(key.derived ? { kdf: 'hkdf_sha256' } : {}),
    convergent_encryption: key.convergent,
    ...(key.convergent ? { convergent_encryption_version: key.convergentVersion } : {}),
    deletion_allowed: key.deletionAllowed,
    exportable: key.exportable,
    allow_plaintext_backup: key.allowPlaintextBackup,
    auto_rotate_period: key.autoRotatePeriod,
    imported_key: false,
    keys,
    latest_version: key.latestVersion,
    min_available_version: key.minAvailableVersion,
    min_decryption_version: key.minDecryptionVersion,
    min_encryption_version: key.minEncryptionVersion,
    supports_encryption: spec.encryption,
    supports_decryption: spec.encryption,
    supports_derivation: spec.derivation,
    supports_signing: spec.signing,
    ...(spec.name === 'hmac' ? { key_size: key.keySize } : {}),
    ...(key.backupInfo ? { backup_info: key.backupInfo } : {}),
    ...(key.restoreInfo ? { restore_info: key.restoreInfo } : {}),
  };
}

/** Plain digest for the `hash` endpoint. */
export function digest(algorithm: string, input: Buffer): Buffer {
  return createHash(hashSpec(algorithm).node).update(input).digest();
}
