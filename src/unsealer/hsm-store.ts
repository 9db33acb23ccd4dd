/**
 * `--mode=hsm`: keys kept on a PKCS#11 token as Bank-Vaults keeps them (SEALS.md §9.2). An RSA-2048
 * key pair labelled `--hsm-key-label` is found or generated (private key sensitive and not
 * extractable); each value is encrypted with CKM_RSA_PKCS_OAEP (SHA-1, MGF1-SHA1) and stored as
 * a CKO_DATA token object whose CKA_LABEL is the key name. Decryption happens on the token.
 * On OpenSC-driven devices the encryption is done on the host with the exported public key.
 * The token is reached through the pkcs11 seal's module, session and error handling.
 */
import { constants as cryptoConstants, createPublicKey, publicEncrypt } from 'node:crypto';
import { IntegrityError } from '../errors.js';
import { hsmFailure } from '../seal/pkcs11/errors.js';
import { findKey, generateKey, readRsaPublic, type FoundKey } from '../seal/pkcs11/keys.js';
import { pkcs11js, type Pkcs11Api } from '../seal/pkcs11/module.js';
import { openToken, type Handle, type Token } from '../seal/pkcs11/token.js';
import { KeyExistsError, KeyStoreError, type KeyStore } from './key-store.js';
import type { HsmStoreOptions } from './options.js';

/** One OAEP block of a 2048-bit key with SHA-1: 256 - 2*20 - 2 bytes. */
const MAX_VALUE = 214;

function oaepSha1() {
  const p = pkcs11js();
  return { mechanism: p.CKM_RSA_PKCS_OAEP, parameter: { type: p.CK_PARAMS_RSA_OAEP, hashAlg: p.CKM_SHA_1, mgf: p.CKG_MGF1_SHA1, source: 1 } };
}

function findData(api: Pkcs11Api, session: Handle, name: string): Handle[] {
  const p = pkcs11js();
  api.C_FindObjectsInit(session, [{ type: p.CKA_CLASS, value: p.CKO_DATA }, { type: p.CKA_LABEL, value: name }]);
  try {
    return api.C_FindObjects(session, 16);
  } finally {
    api.C_FindObjectsFinal(session);
  }
}

function keyPair(api: Pkcs11Api, session: Handle, label: string): FoundKey {
  const found = findKey(api, session, 'rsa', { label });
  if (found) return found;
  return generateKey(api, session, 'rsa', { label });
}

function fail(err: unknown, action: string): KeyStoreError {
  if (err instanceof KeyStoreError) return err;
  const mapped = hsmFailure(err, action);
  if (mapped instanceof IntegrityError) return new KeyStoreError(`hsm store: ${action} failed: not encrypted by this key pair, or damaged`);
  return new KeyStoreError(`hsm store: ${mapped.message.replace(/^pkcs11: /, '')}`);
}

export function openHsmStore(options: HsmStoreOptions): KeyStore {
  let token: Token;
  try {
    token = openToken({
      lib: options.modulePath,
      pin: options.pin,
      maxParallel: 1,
      ...(options.tokenLabel !== undefined ? { tokenLabel: options.tokenLabel } : { slot: BigInt(options.slotId) }),
    });
  } catch (err) {
    throw fail(err, 'opening the library');
  }
  // OpenSC-driven devices (NitroKey HSM, SmartCard-HSM) cannot encrypt: as Bank-Vaults does,
  // encrypt with the public key on the host there; decryption stays on the device.
  let encryptOnHost = options.encryptOnHost;
  if (encryptOnHost === undefined) {
    try { encryptOnHost = token.api.C_GetInfo().manufacturerID.trim() === 'OpenSC Project'; } catch { encryptOnHost = false; }
  }
  const which = options.tokenLabel !== undefined ? `token "${options.tokenLabel}"` : `slot ${options.slotId}`;
  const run = async <T>(action: string, fn: (api: Pkcs11Api, session: Handle) => T): Promise<T> => {
    try {
      return await token.withSession(action, (session) => fn(token.api, session));
    } catch (err) {
      throw fail(err, action);
    }
  };

  return {
    description: `hsm store on ${which}, key pair "${options.keyLabel}"`,
    async get(name) {
      const ciphertext = await run('C_FindObjects', (api, session) => {
        const hits = findData(api, session, name);
        if (hits.length === 0) return undefined;
        if (hits.length > 1) throw new KeyStoreError(`hsm store: ${hits.length} data objects are labelled "${name}" on ${which}`);
        const p = pkcs11js();
        const [attr] = api.C_GetAttributeValue(session, hits[0], [{ type: p.CKA_VALUE }]);
        return Buffer.from(attr.value as Buffer);
      });
      if (ciphertext === undefined) return undefined;
      return run(`C_Decrypt of "${name}"`, (api, session) => {
        const key = findKey(api, session, 'rsa', { label: options.keyLabel });
        if (!key) throw new KeyStoreError(`hsm store: key pair "${options.keyLabel}" is not on ${which}; "${name}" cannot be decrypted`);
        api.C_DecryptInit(session, oaepSha1() as never, key.handle);
        return new Uint8Array(api.C_Decrypt(session, ciphertext, Buffer.alloc(ciphertext.length)));
      });
    },
    async create(name, value) {
      if (value.length > MAX_VALUE) throw new KeyStoreError(`hsm store: "${name}" is longer than ${MAX_VALUE} bytes, more than one RSA-OAEP block`);
      await run('C_CreateObject', (api, session) => {
        if (findData(api, session, name).length > 0) throw new KeyExistsError(name, which);
        const key = keyPair(api, session, options.keyLabel);
        const p = pkcs11js();
        let ciphertext: Buffer;
        if (encryptOnHost) {
          const { n, e } = readRsaPublic(api, session, key.publicHandle!);
          const publicKey = createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') }, format: 'jwk' });
          ciphertext = publicEncrypt({ key: publicKey, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, value);
        } else {
          api.C_EncryptInit(session, oaepSha1() as never, key.publicHandle!);
          ciphertext = Buffer.from(api.C_Encrypt(session, Buffer.from(value), Buffer.alloc(512)));
        }
        api.C_CreateObject(session, [
          { type: p.CKA_CLASS, value: p.CKO_DATA },
          { type: p.CKA_TOKEN, value: true },
          { type: p.CKA_PRIVATE, value: true },
          { type: p.CKA_LABEL, value: name },
          { type: p.CKA_VALUE, value: ciphertext },
        ]);
      });
    },
    async delete(name) {
      await run('C_DestroyObject', (api, session) => {
        for (const handle of findData(api, session, name)) api.C_DestroyObject(session, handle);
      });
    },
    async close() { token.close(); },
  };
}
