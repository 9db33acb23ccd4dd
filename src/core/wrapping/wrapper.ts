/**
 * Response wrapping (Vault's wrapInCubbyhole and the unwrap side of sys/wrapping/*): a
 * response is sealed in the cubbyhole of a fresh single-use token and the client receives
 * only that token's `wrap_info`. Whoever holds the token can read the response once.
 */
import type { BarrierStorage } from '../../barrier/types.js';
import { InvalidRequest, NotFound } from '../../errors.js';
import type { LogicalRequest, LogicalResponse, WrapInfo } from '../../framework/logical.js';
import type { MountManager } from '../mounts/manager.js';
import { RESPONSE_WRAPPING_POLICY_NAME } from '../policy/names.js';
import type { ResponseWrapper } from '../request/ports.js';
import type { TokenEntry } from '../tokens/entry.js';
import type { TokenStore } from '../tokens/store.js';
import { createWrappingCubbyhole, type WrapInfoRecord } from './cubbyhole.js';
import { isEmptyResponse, responseEnvelope, rfc3339Nano } from './serialize.js';

export const INVALID_WRAPPING_TOKEN = 'wrapping token is not valid or does not exist';

export interface ResponseWrapperDeps {
  tokens: Pick<TokenStore, 'create' | 'lookup' | 'lookupHashed' | 'use' | 'revokeOrphan'>;
  /** The cubbyhole mount's storage (resolved per call; see `cubbyholeStorageOf`). */
  cubbyholeStorage: () => BarrierStorage;
  /** Puts a wrapping token under the expiration manager, when there is one. */
  registerToken?: (entry: TokenEntry) => Promise<void>;
  /** Wall clock in milliseconds, for `creation_time`. */
  nowMs?: () => number;
}

/** Which wrapping token a sys/wrapping call names: one sent in the body, or the caller's own. */
export type WrappingTokenRef = { token: string } | { hashedId: string };

export function isWrappingToken(entry: TokenEntry): boolean {
  return entry.policies.length === 1 && entry.policies[0] === RESPONSE_WRAPPING_POLICY_NAME;
}

/** The storage of the `cubbyhole/` mount, looked up at call time (mounts reload at unseal). */
export function cubbyholeStorageOf(mounts: Pick<MountManager, 'find'>): () => BarrierStorage {
  return () => {
    const mount = mounts.find('mounts', 'cubbyhole/');
    if (!mount) throw new Error('the cubbyhole mount is missing');
    return mount.storage;
  };
}

function invalidToken(): InvalidRequest {
  return new InvalidRequest(INVALID_WRAPPING_TOKEN);
}

/** A list answer with nothing in it is a 404, never a wrapping token around nothing. */
function refuseEmptyList(response: LogicalResponse): void {
  const data = response.data;
  const hasWarnings = (response.warnings?.length ?? 0) > 0;
  if (!data || Object.keys(data).length === 0) {
    if (!hasWarnings) throw new NotFound('');
    return;
  }
  if (!('keys' in data) || data.keys === null || data.keys === undefined) return;
  if (!Array.isArray(data.keys) || data.keys.length === 0) throw new NotFound('');
}

function wrappedAccessorOf(req: LogicalRequest, response: LogicalResponse): string | undefined {
  const minted = response.mintedAuth?.accessor;
  if (typeof minted === 'string' && minted) return minted;
  const secretIdAccessor = response.data?.secret_id_accessor;
  if (!response.mintedAuth && req.mountType === 'approle' && typeof secretIdAccessor === 'string' && secretIdAccessor) {
    return secretIdAccessor;
  }
  return undefined;
}

export function createResponseWrapper(deps: ResponseWrapperDeps) {
  const { tokens } = deps;
  const nowMs = deps.nowMs ?? Date.now;
  const cubbyhole = createWrappingCubbyhole(deps.cubbyholeStorage);
  /** Tokens being unwrapped right now: a concurrent second unwrap must fail, not read twice. */
  const inFlight = new Set<string>();

  async function mint(args: {
    serialized: string; ttl: number; tokenPath: string; creationPath: string; displayName: string; wrappedAccessor?: string;
  }): Promise<WrapInfo> {
    const creationTime = rfc3339Nano(nowMs());
    const { id, entry } = await tokens.create({
      parent: '',
      policies: [RESPONSE_WRAPPING_POLICY_NAME],
      path: args.tokenPath,
      displayName: args.displayName,
      numUses: 1,
      ttl: args.ttl,
      explicitMaxTtl: args.ttl,
      renewable: false,
      noDefaultPolicy: true,
    });
    try {
      await cubbyhole.store(entry.hashedId, args.serialized, {
        creation_ttl: args.ttl, creation_time: creationTime, creation_path: args.creationPath,
      });
      await deps.registerToken?.(entry);
    } catch (err) {
      // Not yet tracked anywhere: revoke it so no half-made wrapping token survives.
      await tokens.revokeOrphan(entry);
      throw err;
    }
    const info: WrapInfo = {
      token: id,
      accessor: entry.accessor,
      ttl: args.ttl,
      creation_time: creationTime,
      creation_path: args.creationPath,
    };
    if (args.wrappedAccessor) info.wrapped_accessor = args.wrappedAccessor;
    return info;
  }

  /** The live wrapping token named by `ref`; an unknown, expired, used or ordinary token is a 400. */
  async function resolve(ref: WrappingTokenRef): Promise<TokenEntry> {
    const entry = 'token' in ref
      ? await tokens.lookup(ref.token)
      : await tokens.lookupHashed(ref.hashedId);
    if (!entry || !isWrappingToken(entry)) throw invalidToken();
    return entry;
  }

  /**
   * Spends the token's use, hands what it wraps to `consume`, then destroys it (cubbyhole
   * entries and token) whatever `consume` did: a wrapping token is read at most once.
   */
  async function take<T>(ref: WrappingTokenRef, consume: (wrapped: { response: string; info: WrapInfoRecord }) => Promise<T>): Promise<T> {
    const entry = await resolve(ref);
    if (inFlight.has(entry.hashedId)) throw invalidToken();
    inFlight.add(entry.hashedId);
    try {
      // A token sent in the body has not been counted by the pipeline; the caller's own has.
      if (entry.numUses > 0) await tokens.use(entry);
      const response = await cubbyhole.readResponse(entry.hashedId);
      const info = await cubbyhole.readInfo(entry.hashedId);
      if (response === undefined || !info) throw invalidToken();
      return await consume({ response, info });
    } finally {
      await cubbyhole.discard(entry.hashedId);
      await tokens.revokeOrphan(entry);
      inFlight.delete(entry.hashedId);
    }
  }

  const port: ResponseWrapper = {
    async wrap(req, response, ttlSeconds) {
      if (response.wrapInfo || response.raw) return response;
      if (req.operation === 'list') refuseEmptyList(response);
      if (isEmptyResponse(response)) return response;
      const info = await mint({
        serialized: JSON.stringify(responseEnvelope(req.id, response)),
        ttl: ttlSeconds,
        tokenPath: req.path,
        creationPath: req.path,
        displayName: req.caller?.displayName ?? '',
        wrappedAccessor: wrappedAccessorOf(req, response),
      });
      return { wrapInfo: info, warnings: response.warnings };
    },
  };

  return {
    ...port,

    /** The serialized original response (the exact JSON the client would have received). */
    async unwrap(ref: WrappingTokenRef): Promise<string> {
      return take(ref, async ({ response }) => response);
    },

    /** Creation facts of a wrapping token, without spending its use. */
    async lookup(ref: WrappingTokenRef): Promise<WrapInfoRecord> {
      const entry = await resolve(ref);
      if (inFlight.has(entry.hashedId)) throw invalidToken();
      const info = await cubbyhole.readInfo(entry.hashedId);
      if (!info) throw invalidToken();
      return info;
    },

    /** Moves the wrapped response to a new token with the same TTL and creation path. */
    async rewrap(ref: WrappingTokenRef, req: Pick<LogicalRequest, 'path' | 'caller'>): Promise<WrapInfo> {
      return take(ref, ({ response, info }) => mint({
        serialized: response,
        ttl: info.creation_ttl,
        tokenPath: req.path,
        creationPath: info.creation_path,
        displayName: req.caller?.displayName ?? '',
      }));
    },
  };
}

export type ResponseWrapping = ReturnType<typeof createResponseWrapper>;
