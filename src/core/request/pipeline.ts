/**
 * The one path every logical request takes:
 * sealed check → route → token → create/update → ACL (+sudo) → handler → lease / token
 * minting → wrapping, with audit entries before and after. Backends never see tokens they
 * should not, and never mint tokens themselves.
 */
import { ForwardToActive, NotFound, PermissionDenied, InvalidRequest } from '../../errors.js';
import { pathListMatches } from '../../framework/backend.js';
import type { CallerIdentity, LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import type { Core } from '../core.js';
import type { MountManager, LiveMount } from '../mounts/manager.js';
import type { TokenEntry } from '../tokens/entry.js';
import { authBlock, remainingTtl } from '../tokens/auth-block.js';
import { tokenParamsForLogin } from '../tokens/mint.js';
import { effectivePolicies } from '../policy/effective.js';
import type { AclCheck, AclProvider, AuditSink, IdentityResolver, LeaseRegistrar, ResponseWrapper } from './ports.js';

export interface PipelineDeps {
  core: Core;
  mounts: MountManager;
  acl?: AclProvider;
  leases?: LeaseRegistrar;
  wrapper?: ResponseWrapper;
  audit?: AuditSink;
  identity?: IdentityResolver;
  systemLimits: () => { defaultTtl: number; maxTtl: number };
}

export type IncomingRequest = Omit<LogicalRequest, 'mountRelativePath' | 'mountPoint' | 'mountType' | 'mountAccessor' | 'storage' | 'caller'>;

function callerOf(entry: TokenEntry, clientToken: string): CallerIdentity {
  return {
    tokenAccessor: entry.accessor,
    policies: entry.policies,
    displayName: entry.displayName,
    entityId: entry.entityId,
    metadata: entry.meta,
    tokenId: entry.hashedId,
    clientToken,
    tokenType: entry.type,
    isRoot: entry.policies.includes('root'),
  };
}

/**
 * The incoming request with its mount's fields. Every field is named (no spread), so each
 * request object has the same shape; `mountRelativePath` is '' for the mount's own root.
 */
function logicalRequest(incoming: IncomingRequest, mount: LiveMount): LogicalRequest {
  const { path } = incoming;
  const prefix = mount.prefix;
  const relative = path.startsWith(prefix) ? path.slice(prefix.length) : '';
  return {
    id: incoming.id,
    operation: incoming.operation,
    path,
    mountRelativePath: relative,
    mountPoint: prefix,
    mountType: mount.entry.type,
    mountAccessor: mount.entry.accessor,
    data: incoming.data,
    clientToken: incoming.clientToken,
    caller: undefined,
    wrapTtlSeconds: incoming.wrapTtlSeconds,
    headers: incoming.headers,
    remoteAddress: incoming.remoteAddress,
    remotePort: incoming.remotePort,
    peerCertificate: incoming.peerCertificate,
    rawBody: incoming.rawBody,
    storage: mount.storage,
  };
}

export function createPipeline(deps: PipelineDeps) {
  const { core, mounts } = deps;

  /**
   * The caller's live token: straight from the token store's cache when it holds the token
   * (no await on the hot path), else looked up in storage.
   */
  function lookupToken(req: LogicalRequest): TokenEntry | undefined | Promise<TokenEntry | undefined> {
    if (!req.clientToken) return undefined;
    return core.tokens.cachedLookup(req.clientToken, req.remoteAddress) ?? core.tokens.lookup(req.clientToken, req.remoteAddress);
  }

  function decideAcl(acl: AclCheck, req: LogicalRequest, mount: LiveMount): void {
    const decision = acl.allowOperation({
      path: req.path, operation: req.operation, data: req.data, wrapTtlSeconds: req.wrapTtlSeconds,
    });
    const needsSudo = pathListMatches(mount.dispatcher.backend.rootPaths, req.mountRelativePath);
    if (!decision.allowed || (needsSudo && !decision.rootPrivs)) throw new PermissionDenied();
  }

  /** ACL (and sudo) check for the resolved operation. Undefined when it was decided without waiting. */
  function checkAcl(req: LogicalRequest, mount: LiveMount, entry: TokenEntry): Promise<void> | undefined {
    if (req.caller?.isRoot) return undefined;
    const provider = deps.acl;
    if (!provider) throw new PermissionDenied();
    // A token without an entity whose policy set is compiled already (the usual case).
    const compiled = entry.entityId ? undefined : provider.cachedAclFor?.(entry.policies);
    if (compiled) {
      decideAcl(compiled, req, mount);
      return undefined;
    }
    return (async () => {
      decideAcl(await provider.aclFor(await effectivePolicies(entry.policies, entry.entityId, deps.identity)), req, mount);
    })();
  }

  /**
   * Caller first (existence checks may depend on it, e.g. cubbyhole), then create-vs-update,
   * then the ACL. Sets req.caller. Unauthenticated paths accept no token or a valid one.
   * Returns the token whose use this request counts: none on unauthenticated paths, as in Vault.
   */
  async function authorize(req: LogicalRequest, mount: LiveMount): Promise<TokenEntry | undefined> {
    const unauthenticated = pathListMatches(mount.dispatcher.backend.unauthenticatedPaths, req.mountRelativePath);
    const found = lookupToken(req);
    const entry = found instanceof Promise ? await found : found;
    if (entry) req.caller = callerOf(entry, req.clientToken);
    else if (!unauthenticated) {
      throw new PermissionDenied(req.clientToken ? 'permission denied (invalid token)' : 'permission denied');
    }
    if (req.operation === 'update') await resolveOperation(req, mount);
    if (unauthenticated || !entry) return undefined;
    const checking = checkAcl(req, mount, entry);
    if (checking) await checking;
    return entry;
  }

  async function resolveOperation(req: LogicalRequest, mount: LiveMount): Promise<void> {
    const exists = await mount.dispatcher.exists(req);
    if (exists === false) req.operation = 'create';
  }

  /** Whether postProcess has anything to do (a lease, a token to mint, wrapping). */
  function needsPostProcess(req: LogicalRequest, response: LogicalResponse): boolean {
    return (response.secret !== undefined && !response.secret.advisory && deps.leases !== undefined)
      || response.auth !== undefined
      || (req.wrapTtlSeconds !== undefined && req.wrapTtlSeconds > 0 && !response.raw && deps.wrapper !== undefined);
  }

  async function postProcess(req: LogicalRequest, response: LogicalResponse, mount: LiveMount): Promise<LogicalResponse> {
    if (response.secret && !response.secret.advisory && deps.leases) {
      const { leaseId, ttl } = await deps.leases.registerSecret(req, response, mount);
      response.leaseId = leaseId;
      response.secret.ttlSeconds = ttl;
    }
    if (response.auth) {
      const params = tokenParamsForLogin(response.auth, mount, deps.systemLimits());
      const entityId = await deps.identity?.entityForLogin(mount.entry.accessor, response.auth);
      const { id, entry } = await core.tokens.create(entityId ? { ...params, entityId } : params);
      await deps.leases?.registerToken(entry);
      response.mintedAuth = authBlock(id, entry, remainingTtl(entry, core.tokens.now()));
    }
    if (req.wrapTtlSeconds && req.wrapTtlSeconds > 0 && !response.raw && deps.wrapper) {
      return deps.wrapper.wrap(req, response, req.wrapTtlSeconds);
    }
    return response;
  }

  return {
    /**
     * `standbyRead`: an HA standby serves a read locally. Anything that would write (a token
     * use count, response wrapping, a lease) throws ForwardToActive before it happens.
     */
    async handle(incoming: IncomingRequest, options: { standbyRead?: boolean } = {}): Promise<LogicalResponse> {
      if (options.standbyRead) {
        core.requireReadable();
        if (incoming.wrapTtlSeconds !== undefined) throw new ForwardToActive('response wrapping');
      } else {
        core.requireActive();
      }
      const mount = mounts.route(incoming.path);
      if (!mount) throw new NotFound(`no handler for route "${incoming.path}"`);
      const req = logicalRequest(incoming, mount);
      if (req.wrapTtlSeconds !== undefined && req.wrapTtlSeconds < 0) throw new InvalidRequest('wrap ttl must be positive');

      // Audit calls return undefined when no device is enabled: nothing to wait for.
      const { audit } = deps;
      let entry: TokenEntry | undefined;
      try {
        entry = await authorize(req, mount);
      } catch (err) {
        await audit?.logRequest(req, err as Error);
        throw err;
      }
      if (options.standbyRead && entry && entry.numUses > 0) throw new ForwardToActive('token with limited uses');
      const requestLogged = audit?.logRequest(req);
      if (requestLogged) await requestLogged;
      let response: LogicalResponse | undefined;
      try {
        // A token without a use limit (numUses 0) has no use to count.
        const lastUse = entry && entry.numUses !== 0 ? await core.tokens.use(entry) : false;
        response = await mount.dispatcher.handle(req);
        if (options.standbyRead && (response.auth || (response.secret && !response.secret.advisory))) {
          throw new ForwardToActive('the response needs a lease or a token');
        }
        if (needsPostProcess(req, response)) response = await postProcess(req, response, mount);
        if (lastUse && entry) await core.tokens.revokeTree(entry);
      } catch (err) {
        await audit?.logResponse(req, undefined, err as Error);
        throw err;
      }
      const responseLogged = audit?.logResponse(req, response);
      if (responseLogged) await responseLogged;
      return response;
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
