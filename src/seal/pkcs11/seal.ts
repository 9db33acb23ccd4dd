/**
 * `seal "pkcs11"`: the root key, recovery key and seal-wrapped entries are encrypted by a key
 * that never leaves the HSM.
 *
 * Blob key id (wrapper-blob.ts `keyId`), one item per line:
 *   line 1          `<key label>:<key CKA_ID hex>`        the key that made the blob
 *   `hmac=<l>:<id>`  CKM_AES_CBC_PAD only: the HMAC key of the encrypt-then-MAC
 *   `oaep=<hash>`    CKM_RSA_PKCS_OAEP only: the OAEP/MGF1 hash
 * Decryption finds the key the blob names, so blobs made before a key rotation (new label)
 * still open; `currentKeyId()` lets the core rewrite them under the new key.
 *
 * Per mechanism (mechanism-table.ts):
 *   CKM_AES_GCM        iv = 12 bytes from C_GenerateRandom, 128-bit tag, AAD passed to the HSM
 *   CKM_AES_CBC_PAD    iv = 16 bytes; ciphertext field = CBC output || HMAC-SHA256 (32 bytes)
 *                      over a domain label, the mechanism, key id, iv, AAD and CBC output; the MAC
 *                      is verified on the HSM before any decryption; every failure is one
 *                      IntegrityError (no padding oracle)
 *   CKM_RSA_PKCS_OAEP  envelope: a 32-byte data key from C_GenerateRandom encrypts locally with
 *                      AES-256-GCM (iv field); wrapped key field = OAEP(data key), made on the HSM
 *                      or on the host with the exported public key (`rsa_encrypt_local`)
 */
import { constants as cryptoConstants, createPublicKey, publicEncrypt } from 'node:crypto';
import { ArcaError, IntegrityError } from '../../errors.js';
import { aeadOpen, aeadSeal } from '../../crypto/aead.js';
import type { Seal, SealWrapper } from '../types.js';
import { decodeWrapperBlob, encodeWrapperBlob } from '../wrapper-blob.js';
import type { Pkcs11Config } from './config.js';
import { ckrName, DATA_INVALID, HsmError, hsmFailure, SESSION_LOST } from './errors.js';
import { findKey, formatKeyRef, generateKey, keyMissing, parseKeyRef, readRsaPublic, type FoundKey, type KeyRef, type KeyRole } from './keys.js';
import { mechanismByValue, OAEP_HASHES, type MechanismInfo, type OaepHash } from './mechanism-table.js';
import { pkcs11js } from './module.js';
import { openToken, type Handle, type Token } from './token.js';

export const CBC_MAC_LENGTH = 32;
const CBC_MAC_LABEL = Buffer.from('arca pkcs11 aes-cbc-pad hmac-sha256 v1', 'utf8');
const DECRYPT_FAILED = new Set(['CKR_GENERAL_ERROR', 'CKR_FUNCTION_FAILED']);
const SELF_TEST = Buffer.from('arca pkcs11 seal self-test', 'utf8');

export type Pkcs11Seal = Seal & {
  /** Key id that new blobs carry (undefined before init). */
  currentKeyId(): string | undefined;
  /** Key id a stored blob names. */
  keyIdOf(blob: Uint8Array): string;
  random(length: number): Promise<Uint8Array>;
};

interface BlobKeys {
  key: KeyRef;
  hmac?: KeyRef;
  oaep?: OaepHash;
}

function formatBlobKeyId(mech: MechanismInfo, key: FoundKey, hmac: FoundKey | undefined, oaep: OaepHash): string {
  const lines = [formatKeyRef(key)];
  if (mech.needsHmac && hmac) lines.push(`hmac=${formatKeyRef(hmac)}`);
  if (mech.envelope) lines.push(`oaep=${oaep}`);
  return lines.join('\n');
}

function parseBlobKeyId(text: string): BlobKeys {
  const [first, ...rest] = text.split('\n');
  const out: BlobKeys = { key: parseKeyRef(first) };
  for (const line of rest) {
    if (line.startsWith('hmac=')) out.hmac = parseKeyRef(line.slice(5));
    else if (line.startsWith('oaep=') && line.slice(5) in OAEP_HASHES) out.oaep = line.slice(5) as OaepHash;
    else throw new IntegrityError();
  }
  return out;
}

function macInput(mechanism: number, keyId: string, iv: Buffer, aad: Uint8Array | undefined, ct: Buffer): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  const head = Buffer.alloc(4 + 2);
  head.writeUInt32BE(mechanism, 0);
  head.writeUInt16BE(id.length, 4);
  const aadLength = Buffer.alloc(4);
  aadLength.writeUInt32BE(aad?.length ?? 0, 0);
  return Buffer.concat([CBC_MAC_LABEL, head, id, Buffer.from([iv.length]), iv, aadLength, aad ?? Buffer.alloc(0), ct]);
}

function gcmParams(iv: Buffer, aad: Uint8Array | undefined) {
  const p = pkcs11js();
  return {
    mechanism: p.CKM_AES_GCM,
    parameter: { type: p.CK_PARAMS_AES_GCM, iv, ivBits: iv.length * 8, tagBits: 128, ...(aad && aad.length > 0 ? { aad: Buffer.from(aad) } : {}) },
  };
}

function oaepParams(hash: OaepHash) {
  const p = pkcs11js();
  const h = OAEP_HASHES[hash];
  // CKZ_DATA_SPECIFIED = 1 (pkcs11js does not export it); empty label.
  return { mechanism: p.CKM_RSA_PKCS_OAEP, parameter: { type: p.CK_PARAMS_RSA_OAEP, hashAlg: h.ckm, mgf: h.mgf, source: 1 } };
}

export function createPkcs11Seal(config: Pkcs11Config, deps: { openToken?: typeof openToken } = {}): Pkcs11Seal {
  let token: Token | undefined;
  let current: { key: FoundKey; hmac?: FoundKey; keyId: string } | undefined;
  const cache = new Map<string, FoundKey>();
  let cacheGeneration = -1;
  let closed = false;
  let rsaPublic: { id: string; key: ReturnType<typeof createPublicKey> } | undefined;

  const connect = (): Token => {
    if (closed) throw new ArcaError('pkcs11: the seal is closed');
    token ??= (deps.openToken ?? openToken)({
      lib: config.lib, slot: config.slot, tokenLabel: config.tokenLabel, pin: config.pin, maxParallel: config.maxParallel,
    });
    return token;
  };

  const session = <T>(action: string, fn: (api: Token['api'], s: Handle) => T): Promise<T> => {
    const t = connect();
    return t.withSession(action, (s) => fn(t.api, s));
  };

  const lookup = async (role: KeyRole, ref: KeyRef, allowGenerate: boolean): Promise<FoundKey> => {
    const t = connect();
    if (cacheGeneration !== t.generation) {
      cache.clear();
      cacheGeneration = t.generation;
      if (current) current = undefined;
    }
    const cacheKey = `${role}\n${ref.label ?? ''}\n${ref.id?.toString('hex') ?? ''}`;
    const hit = cache.get(cacheKey);
    if (hit) return hit;
    const found = await session(`finding the ${role} key`, (api, s) => {
      try {
        const key = findKey(api, s, role, ref);
        if (key) return key;
        if (!allowGenerate) throw keyMissing(role, ref);
        return generateKey(api, s, role, ref);
      } catch (err) {
        if (err instanceof ArcaError) throw err;
        const name = ckrName(err);
        if (name !== undefined && SESSION_LOST.has(name)) throw err; // let withSession reopen
        throw hsmFailure(err, `finding the ${role} key`);
      }
    }).catch((err: unknown) => { throw hsmFailure(err, `finding the ${role} key`); });
    cache.set(cacheKey, found);
    return found;
  };

  const mainRole: KeyRole = config.mechanism.keyKind === 'rsa' ? 'rsa' : 'aes';

  const ensureCurrent = async () => {
    if (current && cacheGeneration === token?.generation) return current;
    const key = await lookup(mainRole, { label: config.keyLabel, id: config.keyId }, config.generateKey);
    let hmac: FoundKey | undefined;
    if (config.mechanism.needsHmac) hmac = await lookup('hmac', { label: config.hmacKeyLabel, id: config.hmacKeyId }, config.generateKey);
    current = { key, hmac, keyId: formatBlobKeyId(config.mechanism, key, hmac, config.rsaOaepHash) };
    return current;
  };

  const random = (n: number): Promise<Buffer> =>
    session('C_GenerateRandom', (api, s) => Buffer.from(api.C_GenerateRandom(s, Buffer.alloc(n))))
      .catch((err: unknown) => { throw hsmFailure(err, 'C_GenerateRandom'); });

  /**
   * Runs an HSM decrypt step; data errors become the one IntegrityError. SoftHSM (and other
   * devices) answer a failed GCM tag or OAEP decoding with CKR_GENERAL_ERROR or
   * CKR_FUNCTION_FAILED, so on a decrypt those are integrity failures too: no oracle.
   */
  const opening = <T>(action: string, fn: (api: Token['api'], s: Handle) => T): Promise<T> =>
    session(action, fn).catch((err: unknown) => {
      if (err instanceof IntegrityError) throw err;
      const name = ckrName(err);
      if (name !== undefined && (DATA_INVALID.has(name) || DECRYPT_FAILED.has(name))) throw new IntegrityError();
      throw hsmFailure(err, action);
    });

  /**
   * Once more after a lost session: the token reopened its sessions, but object handles can
   * be void too (SoftHSM drops them with the login), so keys are looked up again.
   */
  const retrying = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof HsmError) || err.fault !== 'session') throw err;
      cache.clear();
      current = undefined;
      return fn();
    }
  };

  const publicKeyFor = async (key: FoundKey) => {
    const id = formatKeyRef(key);
    if (rsaPublic?.id === id) return rsaPublic.key;
    const { n, e } = await session('reading the RSA public key', (api, s) => readRsaPublic(api, s, key.publicHandle!));
    const keyObject = createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') }, format: 'jwk' });
    rsaPublic = { id, key: keyObject };
    return keyObject;
  };

  const raw: SealWrapper = {
    async encrypt(plaintext, aad) {
      const cur = await ensureCurrent();
      const mech = config.mechanism;
      const p = pkcs11js();
      if (mech.name === 'CKM_AES_GCM') {
        const iv = await random(mech.ivLength);
        let ct = await session('C_Encrypt (AES-GCM)', (api, s) => {
          api.C_EncryptInit(s, gcmParams(iv, aad) as never, cur.key.handle);
          return Buffer.from(api.C_Encrypt(s, Buffer.from(plaintext), Buffer.alloc(plaintext.length + 16 + 12 + 16)));
        }).catch((err: unknown) => { throw hsmFailure(err, 'C_Encrypt'); });
        let usedIv = iv;
        // Some HSMs (AWS CloudHSM) ignore the IV given and append their own.
        if (ct.length === plaintext.length + 16 + 12) {
          usedIv = ct.subarray(ct.length - 12);
          ct = ct.subarray(0, ct.length - 12);
        }
        return encodeWrapperBlob({ keyId: cur.keyId, mechanism: mech.value, iv: usedIv, wrappedKey: Buffer.alloc(0), ciphertext: ct });
      }
      if (mech.name === 'CKM_AES_CBC_PAD') {
        const iv = await random(mech.ivLength);
        const blockCt = await session('C_Encrypt (AES-CBC-PAD)', (api, s) => {
          api.C_EncryptInit(s, { mechanism: p.CKM_AES_CBC_PAD, parameter: iv }, cur.key.handle);
          return Buffer.from(api.C_Encrypt(s, Buffer.from(plaintext), Buffer.alloc(plaintext.length + 32)));
        }).catch((err: unknown) => { throw hsmFailure(err, 'C_Encrypt'); });
        const mac = await session('C_Sign (HMAC)', (api, s) => {
          api.C_SignInit(s, { mechanism: config.hmacMechanism }, cur.hmac!.handle);
          return Buffer.from(api.C_Sign(s, macInput(mech.value, cur.keyId, iv, aad, blockCt), Buffer.alloc(64)));
        }).catch((err: unknown) => { throw hsmFailure(err, 'C_Sign'); });
        if (mac.length !== CBC_MAC_LENGTH) throw new HsmError('device', 'pkcs11: HMAC has an unexpected length');
        return encodeWrapperBlob({ keyId: cur.keyId, mechanism: mech.value, iv, wrappedKey: Buffer.alloc(0), ciphertext: Buffer.concat([blockCt, mac]) });
      }
      // RSA-OAEP envelope.
      const dataKey = await random(32);
      try {
        const sealed = aeadSeal(dataKey, plaintext, aad);
        let wrapped: Buffer;
        if (config.rsaEncryptLocal) {
          wrapped = publicEncrypt({ key: await publicKeyFor(cur.key), padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASHES[config.rsaOaepHash].node }, dataKey);
        } else {
          wrapped = await session('C_Encrypt (RSA-OAEP)', (api, s) => {
            api.C_EncryptInit(s, oaepParams(config.rsaOaepHash) as never, cur.key.publicHandle!);
            return Buffer.from(api.C_Encrypt(s, dataKey, Buffer.alloc(1024)));
          }).catch((err: unknown) => { throw hsmFailure(err, 'C_Encrypt'); });
        }
        return encodeWrapperBlob({ keyId: cur.keyId, mechanism: mech.value, iv: sealed.nonce, wrappedKey: wrapped, ciphertext: sealed.ciphertext });
      } finally {
        dataKey.fill(0);
      }
    },

    async decrypt(bytes, aad) {
      const blob = decodeWrapperBlob(bytes);
      const mech = mechanismByValue(blob.mechanism);
      if (!mech || blob.iv.length !== mech.ivLength) throw new IntegrityError();
      const keys = parseBlobKeyId(blob.keyId);
      const p = pkcs11js();
      if (mech.name === 'CKM_AES_GCM') {
        if (blob.wrappedKey.length !== 0 || blob.ciphertext.length < 16) throw new IntegrityError();
        const key = await lookup('aes', keys.key, false);
        return opening('C_Decrypt (AES-GCM)', (api, s) => {
          api.C_DecryptInit(s, gcmParams(Buffer.from(blob.iv), aad) as never, key.handle);
          return Buffer.from(api.C_Decrypt(s, Buffer.from(blob.ciphertext), Buffer.alloc(blob.ciphertext.length + 16)));
        });
      }
      if (mech.name === 'CKM_AES_CBC_PAD') {
        const body = blob.ciphertext.length - CBC_MAC_LENGTH;
        if (!keys.hmac || blob.wrappedKey.length !== 0 || body < 16 || body % 16 !== 0) throw new IntegrityError();
        const key = await lookup('aes', keys.key, false);
        const hmacKey = await lookup('hmac', keys.hmac, false);
        const ct = Buffer.from(blob.ciphertext.subarray(0, body));
        const mac = Buffer.from(blob.ciphertext.subarray(body));
        // Encrypt-then-MAC: nothing is decrypted until the MAC over everything has verified.
        const verified = await opening('C_Verify (HMAC)', (api, s) => {
          api.C_VerifyInit(s, { mechanism: config.hmacMechanism }, hmacKey.handle);
          return api.C_Verify(s, macInput(mech.value, blob.keyId, Buffer.from(blob.iv), aad, ct), mac);
        });
        if (verified !== true) throw new IntegrityError();
        return opening('C_Decrypt (AES-CBC-PAD)', (api, s) => {
          api.C_DecryptInit(s, { mechanism: p.CKM_AES_CBC_PAD, parameter: Buffer.from(blob.iv) }, key.handle);
          return Buffer.from(api.C_Decrypt(s, ct, Buffer.alloc(ct.length)));
        }).catch((err: unknown) => {
          // After a valid MAC this cannot happen without key compromise; still one answer.
          if (err instanceof HsmError && err.fault !== 'session' && err.fault !== 'token_absent') throw new IntegrityError();
          throw err;
        });
      }
      if (blob.wrappedKey.length === 0 || !keys.oaep) throw new IntegrityError();
      const key = await lookup('rsa', keys.key, false);
      const dataKey = await opening('C_Decrypt (RSA-OAEP)', (api, s) => {
        api.C_DecryptInit(s, oaepParams(keys.oaep!) as never, key.handle);
        return Buffer.from(api.C_Decrypt(s, Buffer.from(blob.wrappedKey), Buffer.alloc(blob.wrappedKey.length)));
      });
      try {
        if (dataKey.length !== 32) throw new IntegrityError();
        return aeadOpen(dataKey, blob.iv, blob.ciphertext, aad);
      } finally {
        dataKey.fill(0);
      }
    },
  };

  const wrapper: SealWrapper = {
    encrypt: (plaintext, aad) => retrying(() => raw.encrypt(plaintext, aad)),
    decrypt: (blob, aad) => retrying(() => raw.decrypt(blob, aad)),
  };

  return {
    type: 'pkcs11',
    autoUnseal: true,
    async init() {
      await ensureCurrent();
      // Self-test: the key and mechanism work end to end before anything depends on them.
      const blob = await wrapper.encrypt(SELF_TEST, SELF_TEST);
      const back = await wrapper.decrypt(blob, SELF_TEST);
      if (!Buffer.from(back).equals(SELF_TEST)) throw new HsmError('device', 'pkcs11: self-test failed: decrypt did not return what was encrypted');
    },
    wrapper() {
      if (closed) throw new ArcaError('pkcs11: the seal is closed');
      return wrapper;
    },
    random: (n: number) => retrying(() => random(n)),
    currentKeyId: () => current?.keyId,
    keyIdOf: (blob) => decodeWrapperBlob(blob).keyId,
    async close() {
      if (closed) return;
      closed = true;
      cache.clear();
      current = undefined;
      token?.close();
      token = undefined;
    },
  };
}
