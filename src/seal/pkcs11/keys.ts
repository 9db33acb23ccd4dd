/**
 * Finding the seal's keys on the token by CKA_LABEL and/or CKA_ID, and generating them
 * (non-extractable, sensitive, token objects) when `generate_key` allows it.
 * A key reference as stored in blobs is `<label>:<id hex>` (split on the last colon).
 */
import { randomBytes } from 'node:crypto';
import { HsmError } from './errors.js';
import { pkcs11js, type Pkcs11Api } from './module.js';
import type { Handle } from './token.js';

export type KeyRole = 'aes' | 'hmac' | 'rsa';

export interface KeyRef {
  label?: string;
  id?: Buffer;
}

export interface FoundKey {
  /** Secret key, or the private key of a pair. */
  handle: Handle;
  /** RSA only. */
  publicHandle?: Handle;
  label: string;
  id: Buffer;
}

export function formatKeyRef(key: { label: string; id: Buffer }): string {
  return `${key.label}:${key.id.toString('hex')}`;
}

export function parseKeyRef(text: string): KeyRef {
  const at = text.lastIndexOf(':');
  if (at === -1) return { label: text };
  const hex = text.slice(at + 1);
  const label = text.slice(0, at);
  return { label: label === '' ? undefined : label, id: hex === '' ? undefined : Buffer.from(hex, 'hex') };
}

function describe(ref: KeyRef): string {
  const parts: string[] = [];
  if (ref.label !== undefined) parts.push(`label "${ref.label}"`);
  if (ref.id !== undefined) parts.push(`id 0x${ref.id.toString('hex')}`);
  return parts.join(' and ');
}

function findObjects(api: Pkcs11Api, session: Handle, template: Array<{ type: number; value?: unknown }>): Handle[] {
  api.C_FindObjectsInit(session, template as never);
  try {
    return api.C_FindObjects(session, 4);
  } finally {
    api.C_FindObjectsFinal(session);
  }
}

function readLabelAndId(api: Pkcs11Api, session: Handle, handle: Handle): { label: string; id: Buffer } {
  const p = pkcs11js();
  const attrs = api.C_GetAttributeValue(session, handle, [{ type: p.CKA_LABEL }, { type: p.CKA_ID }]);
  const label = Buffer.isBuffer(attrs[0].value) ? attrs[0].value.toString('utf8') : String(attrs[0].value ?? '');
  const id = Buffer.isBuffer(attrs[1].value) ? Buffer.from(attrs[1].value) : Buffer.alloc(0);
  return { label, id };
}

/** Finds one key for `role`; undefined when none matches; HsmError when several do. */
export function findKey(api: Pkcs11Api, session: Handle, role: KeyRole, ref: KeyRef): FoundKey | undefined {
  const p = pkcs11js();
  const base: Array<{ type: number; value?: unknown }> = [];
  if (ref.label !== undefined) base.push({ type: p.CKA_LABEL, value: ref.label });
  if (ref.id !== undefined && ref.id.length > 0) base.push({ type: p.CKA_ID, value: ref.id });
  const cls = role === 'rsa' ? p.CKO_PRIVATE_KEY : p.CKO_SECRET_KEY;
  const keyType = role === 'aes' ? p.CKK_AES : role === 'hmac' ? p.CKK_GENERIC_SECRET : p.CKK_RSA;
  const hits = findObjects(api, session, [...base, { type: p.CKA_CLASS, value: cls }, { type: p.CKA_KEY_TYPE, value: keyType }]);
  if (hits.length === 0) return undefined;
  if (hits.length > 1) throw new HsmError('key_missing', `pkcs11: more than one ${role} key matches ${describe(ref)}; give key_id as well`);
  const { label, id } = readLabelAndId(api, session, hits[0]);
  const found: FoundKey = { handle: hits[0], label, id };
  if (role === 'rsa') {
    const pubTemplate = [{ type: p.CKA_CLASS, value: p.CKO_PUBLIC_KEY }, { type: p.CKA_KEY_TYPE, value: p.CKK_RSA }];
    if (label !== '') pubTemplate.push({ type: p.CKA_LABEL, value: label as never });
    if (id.length > 0) pubTemplate.push({ type: p.CKA_ID, value: id as never });
    const pubs = findObjects(api, session, pubTemplate);
    if (pubs.length !== 1) throw new HsmError('key_missing', `pkcs11: the RSA public key for ${describe(ref)} is not on the token`);
    found.publicHandle = pubs[0];
  }
  return found;
}

/** Creates a non-extractable, sensitive token key (Vault's attribute sets, SEALS.md §1.4). */
export function generateKey(api: Pkcs11Api, session: Handle, role: KeyRole, ref: KeyRef): FoundKey {
  const p = pkcs11js();
  const label = ref.label ?? '';
  const id = ref.id && ref.id.length > 0 ? ref.id : randomBytes(4);
  const common = [
    { type: p.CKA_TOKEN, value: true },
    { type: p.CKA_LABEL, value: label },
    { type: p.CKA_ID, value: id },
  ];
  if (role === 'rsa') {
    const pair = api.C_GenerateKeyPair(session, { mechanism: p.CKM_RSA_PKCS_KEY_PAIR_GEN }, [
      ...common,
      { type: p.CKA_ENCRYPT, value: true }, { type: p.CKA_WRAP, value: true },
      { type: p.CKA_MODULUS_BITS, value: 2048 }, { type: p.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
    ], [
      ...common,
      { type: p.CKA_PRIVATE, value: true }, { type: p.CKA_SENSITIVE, value: true }, { type: p.CKA_EXTRACTABLE, value: false },
      { type: p.CKA_DECRYPT, value: true }, { type: p.CKA_UNWRAP, value: true },
    ]);
    return { handle: pair.privateKey, publicHandle: pair.publicKey, label, id };
  }
  const usage = role === 'aes'
    ? [{ type: p.CKA_ENCRYPT, value: true }, { type: p.CKA_DECRYPT, value: true }, { type: p.CKA_WRAP, value: true }, { type: p.CKA_UNWRAP, value: true }]
    : [{ type: p.CKA_SIGN, value: true }, { type: p.CKA_VERIFY, value: true }];
  const handle = api.C_GenerateKey(session, { mechanism: role === 'aes' ? p.CKM_AES_KEY_GEN : p.CKM_GENERIC_SECRET_KEY_GEN }, [
    ...common,
    { type: p.CKA_CLASS, value: p.CKO_SECRET_KEY },
    { type: p.CKA_KEY_TYPE, value: role === 'aes' ? p.CKK_AES : p.CKK_GENERIC_SECRET },
    { type: p.CKA_VALUE_LEN, value: 32 },
    { type: p.CKA_PRIVATE, value: true }, { type: p.CKA_SENSITIVE, value: true }, { type: p.CKA_EXTRACTABLE, value: false },
    ...usage,
  ]);
  return { handle, label, id };
}

export function keyMissing(role: KeyRole, ref: KeyRef): HsmError {
  const what = role === 'hmac' ? 'HMAC key' : 'key';
  return new HsmError('key_missing', `pkcs11: no ${what} with ${describe(ref)} on the token (set generate_key = "true" to create it)`);
}

/** The RSA public key as n and e, for host-side OAEP encryption. */
export function readRsaPublic(api: Pkcs11Api, session: Handle, publicHandle: Handle): { n: Buffer; e: Buffer } {
  const p = pkcs11js();
  const attrs = api.C_GetAttributeValue(session, publicHandle, [{ type: p.CKA_MODULUS }, { type: p.CKA_PUBLIC_EXPONENT }]);
  return { n: Buffer.from(attrs[0].value as Buffer), e: Buffer.from(attrs[1].value as Buffer) };
}
