/**
 * `seal "pkcs11"` parameters (Vault's names; SEALS.md §1.1). A stanza value wins; a missing one
 * falls back to ARCA_HSM_*, then VAULT_HSM_*, then BAO_HSM_* from the environment the
 * composition root passes in. Nothing here reads process.env.
 */
import { statSync, readFileSync } from 'node:fs';
import { InvalidRequest } from '../../errors.js';
import {
  DEFAULT_MECHANISM, findHmacMechanism, findMechanism, HMAC_MECHANISMS, OAEP_HASHES,
  type MechanismInfo, type OaepHash,
} from './mechanism-table.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Pkcs11Config {
  lib: string;
  /** Slot id (decimal in config, as Vault). */
  slot?: bigint;
  tokenLabel?: string;
  pin: string;
  keyLabel?: string;
  keyId?: Buffer;
  hmacKeyLabel?: string;
  hmacKeyId?: Buffer;
  mechanism: MechanismInfo;
  hmacMechanism: number;
  generateKey: boolean;
  maxParallel: number;
  rsaEncryptLocal: boolean;
  rsaOaepHash: OaepHash;
}

/** Reads a file's mode and text; injectable for tests. */
export interface FileReader {
  mode(path: string): number;
  read(path: string): string;
}

export const nodeFileReader: FileReader = {
  mode: (path) => statSync(path).mode,
  read: (path) => readFileSync(path, 'utf8'),
};

const ENV_PREFIXES = ['ARCA_HSM_', 'VAULT_HSM_', 'BAO_HSM_'];
const KNOWN = new Set([
  'lib', 'slot', 'token_label', 'pin', 'pin_file', 'key_label', 'key_id', 'hmac_key_label', 'hmac_key_id',
  'mechanism', 'hmac_mechanism', 'generate_key', 'max_parallel', 'rsa_encrypt_local', 'disable_software_encryption',
  'rsa_oaep_hash', 'force_rw_session', 'default_key_label', 'default_hmac_key_label', 'name', 'priority',
]);

function bool(value: string, name: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', '1', 't', 'yes'].includes(v)) return true;
  if (['false', '0', 'f', 'no', ''].includes(v)) return false;
  throw new InvalidRequest(`seal "pkcs11": ${name} must be "true" or "false"`);
}

function hexId(value: string, name: string): Buffer {
  const hex = value.trim().replace(/^0x/i, '');
  if (hex === '' || hex.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(hex)) {
    throw new InvalidRequest(`seal "pkcs11": ${name} must be a hex string such as 0x3132`);
  }
  return Buffer.from(hex, 'hex');
}

function label(value: string, name: string): string {
  if (value === '' || /[\n\r]/.test(value) || Buffer.byteLength(value) > 255) {
    throw new InvalidRequest(`seal "pkcs11": ${name} must be 1 to 255 bytes on one line`);
  }
  return value;
}

/** Refuses a pin_file others could read; returns its first line. */
export function readPinFile(path: string, files: FileReader): string {
  let mode: number;
  try {
    mode = files.mode(path);
  } catch {
    throw new InvalidRequest(`seal "pkcs11": pin_file ${path} cannot be read`);
  }
  if ((mode & 0o077) !== 0) {
    throw new InvalidRequest(`seal "pkcs11": pin_file ${path} must not be accessible by group or others (chmod 600)`);
  }
  const pin = files.read(path).split(/\r?\n/)[0];
  if (!pin) throw new InvalidRequest(`seal "pkcs11": pin_file ${path} is empty`);
  return pin;
}

export function parsePkcs11Config(options: Readonly<Record<string, string>>, env: Env, files: FileReader = nodeFileReader): Pkcs11Config {
  const unknown = Object.keys(options).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new InvalidRequest(`seal "pkcs11": unknown parameter ${unknown.sort().join(', ')}`);
  const get = (name: string): string | undefined => {
    const own = options[name];
    if (own !== undefined && own !== '') return own;
    for (const prefix of ENV_PREFIXES) {
      const v = env[prefix + name.toUpperCase()];
      if (v !== undefined && v !== '') return v;
    }
    return undefined;
  };

  const lib = get('lib');
  if (!lib) throw new InvalidRequest('seal "pkcs11": lib is required (path to the PKCS#11 library)');
  const slotText = get('slot');
  let slot: bigint | undefined;
  if (slotText !== undefined) {
    if (!/^[0-9]+$/.test(slotText.trim())) throw new InvalidRequest('seal "pkcs11": slot must be a decimal number');
    slot = BigInt(slotText.trim());
  }
  const tokenLabel = get('token_label');
  if (slot === undefined && tokenLabel === undefined) throw new InvalidRequest('seal "pkcs11": slot or token_label is required');

  let pin = get('pin');
  const pinFile = get('pin_file');
  if (pin === undefined && pinFile !== undefined) pin = readPinFile(pinFile, files);
  if (!pin) throw new InvalidRequest('seal "pkcs11": pin is required (pin, pin_file or the HSM_PIN environment variable)');

  const keyLabelText = get('key_label');
  const keyIdText = get('key_id');
  if (keyLabelText === undefined && keyIdText === undefined) throw new InvalidRequest('seal "pkcs11": key_label or key_id is required');

  const mechanismText = get('mechanism');
  const mechanism = mechanismText === undefined ? DEFAULT_MECHANISM : findMechanism(mechanismText);
  if (!mechanism) throw new InvalidRequest('seal "pkcs11": mechanism is not supported (use CKM_AES_GCM, CKM_AES_CBC_PAD or CKM_RSA_PKCS_OAEP)');

  const hmacMechanismText = get('hmac_mechanism');
  const hmacMechanism = hmacMechanismText === undefined ? HMAC_MECHANISMS.get('CKM_SHA256_HMAC')! : findHmacMechanism(hmacMechanismText);
  if (hmacMechanism === undefined) throw new InvalidRequest('seal "pkcs11": hmac_mechanism must be CKM_SHA256_HMAC');

  const hmacKeyLabel = get('hmac_key_label');
  const hmacKeyIdText = get('hmac_key_id');
  if (mechanism.needsHmac && hmacKeyLabel === undefined && hmacKeyIdText === undefined) {
    throw new InvalidRequest(`seal "pkcs11": ${mechanism.name} needs hmac_key_label or hmac_key_id (encrypt-then-MAC)`);
  }

  const maxParallelText = get('max_parallel') ?? '1';
  const maxParallel = Number(maxParallelText);
  if (!Number.isInteger(maxParallel) || maxParallel < 1 || maxParallel > 1024) {
    throw new InvalidRequest('seal "pkcs11": max_parallel must be an integer from 1 to 1024');
  }

  const hash = (get('rsa_oaep_hash') ?? 'sha256').toLowerCase();
  if (!(hash in OAEP_HASHES)) throw new InvalidRequest('seal "pkcs11": rsa_oaep_hash must be sha1, sha224, sha256, sha384 or sha512');

  // Vault: rsa_encrypt_local (default false). OpenBao: disable_software_encryption (inverse).
  const local = get('rsa_encrypt_local');
  const disableSoftware = get('disable_software_encryption');
  const rsaEncryptLocal = local !== undefined ? bool(local, 'rsa_encrypt_local')
    : disableSoftware !== undefined ? !bool(disableSoftware, 'disable_software_encryption') : false;

  return {
    lib,
    slot,
    tokenLabel: tokenLabel === undefined ? undefined : label(tokenLabel, 'token_label'),
    pin,
    keyLabel: keyLabelText === undefined ? undefined : label(keyLabelText, 'key_label'),
    keyId: keyIdText === undefined ? undefined : hexId(keyIdText, 'key_id'),
    hmacKeyLabel: hmacKeyLabel === undefined ? undefined : label(hmacKeyLabel, 'hmac_key_label'),
    hmacKeyId: hmacKeyIdText === undefined ? undefined : hexId(hmacKeyIdText, 'hmac_key_id'),
    mechanism,
    hmacMechanism,
    generateKey: bool(get('generate_key') ?? 'false', 'generate_key'),
    maxParallel,
    rsaEncryptLocal,
    rsaOaepHash: hash as OaepHash,
  };
}

/** The config as it may be shown (logs, status): no PIN. */
export function describePkcs11Config(config: Pkcs11Config): Record<string, string> {
  const out: Record<string, string> = { lib: config.lib, mechanism: config.mechanism.name };
  if (config.slot !== undefined) out.slot = config.slot.toString();
  if (config.tokenLabel !== undefined) out.token_label = config.tokenLabel;
  if (config.keyLabel !== undefined) out.key_label = config.keyLabel;
  if (config.keyId !== undefined) out.key_id = `0x${config.keyId.toString('hex')}`;
  if (config.hmacKeyLabel !== undefined) out.hmac_key_label = config.hmacKeyLabel;
  return out;
}
