/**
 * `seal "transit"`: another Vault-API server's transit key wraps this server's root key,
 * recovery key and seal-wrapped entries, so this server unseals by itself whenever the remote
 * is reachable. No envelope: the remote encrypts the value itself and the blob stores its
 * `vault:vN:...` ciphertext.
 *
 * Blob (wrapper-blob.ts, version 0x01):
 *   key id      "<mount_path>/<key_name>:v<N>" — N is the remote key version that encrypted it,
 *               so a rotated remote key changes the id and core re-wraps the stored keys;
 *   mechanism   TRANSIT_MECHANISM;  iv and wrapped key empty;
 *   ciphertext  the remote's ciphertext string, UTF-8.
 * The AAD goes to the remote as `associated_data` (AEAD keys authenticate it).
 *
 * Failures: the remote refusing a ciphertext (400) is the one generic IntegrityError; an
 * unreachable, sealed or denying remote is an UpstreamError naming the cause, so a node whose
 * remote is down stays sealed with a clear line and unseals on a later retry.
 */
import { ArcaError, IntegrityError, UpstreamError } from '../../errors.js';
import type { Seal, SealWrapper } from '../types.js';
import { decodeWrapperBlob, encodeWrapperBlob } from '../wrapper-blob.js';
import { createRemoteClient, remoteError } from './client.js';
import type { TransitSealConfig } from './config.js';

/** Blob mechanism for "encrypted by a remote transit key" ("TRNS"). */
export const TRANSIT_MECHANISM = 0x5452_4e53;
const SELF_TEST = Buffer.from([0x01]);
const VERSIONED = /^vault:v(\d+):/;

export interface TransitSealOptions {
  /** Where renewal failures are reported (one line each); default: nowhere. */
  log?: (message: string) => void;
}

export function createTransitSeal(config: TransitSealConfig, options: TransitSealOptions = {}) {
  const client = createRemoteClient(config);
  const key = encodeURIComponent(config.keyName);
  const mount = config.mountPath.split('/').map(encodeURIComponent).join('/');
  const keyIdPrefix = `${config.mountPath}/${config.keyName}`;
  let closed = false;
  let renewalStarted = false;
  let renewTimer: NodeJS.Timeout | undefined;
  let renewals = 0;
  let lastKeyId: string | undefined;

  function scheduleRenewal(ttlSeconds: number): void {
    if (closed || ttlSeconds <= 0) return;
    const delay = Math.max(1, Math.floor(ttlSeconds / 2)) * 1000;
    renewTimer = setTimeout(() => void renew(ttlSeconds), delay);
    renewTimer.unref();
  }

  async function renew(previousTtl: number): Promise<void> {
    try {
      const body = await client.call('POST', 'auth/token/renew-self', {});
      renewals++;
      scheduleRenewal(Number(body.auth?.lease_duration ?? 0));
    } catch (err) {
      options.log?.(`transit seal: token renewal failed, retrying: ${(err as Error).message}`);
      scheduleRenewal(Math.min(previousTtl, 60));
    }
  }

  /** Looks the token up once (when reachable) and keeps it renewed while it is renewable. */
  async function ensureRenewal(): Promise<void> {
    if (renewalStarted || config.disableRenewal || closed) return;
    const res = await client.send('GET', 'auth/token/lookup-self');
    if (res.status !== 200) return; // a token that may not look itself up is used as it is
    renewalStarted = true;
    const data = res.body?.data ?? {};
    if (data.renewable === true) scheduleRenewal(Number(data.ttl ?? 0));
  }

  function checkOpen(): void {
    if (closed) throw new ArcaError('transit seal: the seal is closed');
  }

  const wrapper: SealWrapper = {
    async encrypt(plaintext, aad) {
      checkOpen();
      const body = await client.call('POST', `${mount}/encrypt/${key}`, {
        plaintext: Buffer.from(plaintext).toString('base64'),
        ...(aad && aad.length > 0 ? { associated_data: Buffer.from(aad).toString('base64') } : {}),
      });
      const ciphertext = body.data?.ciphertext;
      const match = typeof ciphertext === 'string' ? VERSIONED.exec(ciphertext) : null;
      if (!match) throw new UpstreamError('transit seal: the remote returned no ciphertext');
      lastKeyId = `${keyIdPrefix}:v${Number(match[1])}`;
      void ensureRenewal().catch(() => {});
      return encodeWrapperBlob({ keyId: lastKeyId, mechanism: TRANSIT_MECHANISM, iv: Buffer.alloc(0), wrappedKey: Buffer.alloc(0), ciphertext: Buffer.from(ciphertext, 'utf8') });
    },
    async decrypt(bytes, aad) {
      checkOpen();
      const blob = decodeWrapperBlob(bytes);
      if (blob.mechanism !== TRANSIT_MECHANISM || blob.iv.length !== 0 || blob.wrappedKey.length !== 0) throw new IntegrityError();
      const ciphertext = blob.ciphertext.toString('utf8');
      if (!VERSIONED.test(ciphertext)) throw new IntegrityError();
      const res = await client.send('POST', `${mount}/decrypt/${key}`, {
        ciphertext,
        ...(aad && aad.length > 0 ? { associated_data: Buffer.from(aad).toString('base64') } : {}),
      });
      if (res.status === 400) throw new IntegrityError();
      if (res.status < 200 || res.status >= 300) throw remoteError(res, `${config.mountPath}/decrypt/${config.keyName}`);
      const plaintext = res.body?.data?.plaintext;
      if (typeof plaintext !== 'string') throw new UpstreamError('transit seal: the remote returned no plaintext');
      void ensureRenewal().catch(() => {});
      return Buffer.from(plaintext, 'base64');
    },
  };

  const seal = {
    type: 'transit' as const,
    autoUnseal: true,
    async init() {
      checkOpen();
      // Self-test as Vault's wrapper does: the key exists and this token may use it.
      const blob = await wrapper.encrypt(SELF_TEST);
      const back = await wrapper.decrypt(blob);
      if (!Buffer.from(back).equals(SELF_TEST)) throw new UpstreamError('transit seal: self-test failed: decrypt did not return what was encrypted');
      await ensureRenewal();
    },
    wrapper() {
      checkOpen();
      return wrapper;
    },
    /** Key id of the last blob this seal made (the remote key's latest version). */
    currentKeyId: () => lastKeyId,
    keyIdOf: (blob: Uint8Array) => decodeWrapperBlob(blob).keyId,
    /** Successful token renewals so far (observability and tests). */
    renewals: () => renewals,
    async close() {
      closed = true;
      if (renewTimer) clearTimeout(renewTimer);
      renewTimer = undefined;
    },
  } satisfies Seal & Record<string, unknown>;
  return seal;
}

export type TransitSeal = ReturnType<typeof createTransitSeal>;
