/**
 * The composition root: the one place that builds the object graph from a ServerConfig.
 */
import type { ServerConfig } from '../config/types.js';
import { openStorage } from '../storage/index.js';
import type { Storage } from '../storage/types.js';
import { createAesGcmBarrier } from '../barrier/aes-gcm-barrier.js';
import { withReadCache } from '../barrier/read-cache.js';
import { withSealWrap } from '../barrier/seal-wrap.js';
import { sealWrapRule } from './seal-wrap-rule.js';
import { Core, type Subsystem } from '../core/core.js';
import { createTokenStore } from '../core/tokens/store.js';
import { createBackendRegistry } from '../core/mounts/registry.js';
import { createMountManager, newMountEntry } from '../core/mounts/manager.js';
import { createPipeline } from '../core/request/pipeline.js';
import { createPolicyStore } from '../core/policy/store.js';
import { createAclProvider } from '../core/policy/acl-cache.js';
import { CORE_SYS_GROUPS, createSysBackend } from '../core/sys/index.js';
import { lockedUsersPaths } from '../core/sys/locked-users.js';
import { wireIdentity } from '../core/identity/wiring.js';
import { createLockoutTracker, LOCKED_USERS_PREFIX } from '../auth/common/lockout.js';
import { createUserpassBackend } from '../auth/userpass/index.js';
import { createAppRoleBackend } from '../auth/approle/index.js';
import { createLdapBackend } from '../auth/ldap/index.js';
import { createJwtBackend } from '../auth/jwt/index.js';
import { createGithubBackend } from '../auth/github/index.js';
import { createAwsBackend } from '../auth/aws/index.js';
import { createKubernetesBackend } from '../auth/kubernetes/index.js';
import { createTokenBackend, sudoFromAcl } from '../auth/token/index.js';
import { createExpirationManager } from '../core/expiration/manager.js';
import type { TokenEntry } from '../core/tokens/entry.js';
import { createResponseWrapper, cubbyholeStorageOf } from '../core/wrapping/wrapper.js';
import { createKvBackend } from '../engines/kv/index.js';
import { createCubbyholeBackend, destroyCubbyhole } from '../engines/cubbyhole/index.js';
import { createApiHandler } from '../http/server.js';
import { ceremonyRoutes } from '../http/raw/ceremonies.js';
import { createGenerateRoot } from '../core/ceremony/generate-root.js';
import { createRekey } from '../core/ceremony/rekey.js';
import { createAttemptThrottle } from '../core/ceremony/throttle.js';
import type { Logger } from '../util/log.js';
import { defaultMounts } from '../core/mounts/defaults.js';
import { chooseSeals, initSeal, type Env } from '../seal/registry.js';
import { randomBytesFor } from '../core/seal-entropy.js';
import { createSealMigration } from '../core/seal-migration.js';
import { createPasswordPolicyStore } from '../core/password-policy/store.js';
import { createTransitBackend } from '../engines/transit/index.js';
import { createKeymgmtBackend } from '../engines/keymgmt/index.js';
import { createSshBackend } from '../engines/ssh/index.js';
import { createTotpBackend } from '../engines/totp/index.js';
import { setupHa } from './ha.js';
import { createForwardingKey } from '../core/ha/forwarding-key.js';
import { createInFlightTracker } from './in-flight.js';
import { servesStandbyReads } from './standby-reads.js';
import { createForwarder } from '../http/forward.js';
import { createAuditBroker } from '../core/audit/broker.js';
import { createServerMetrics, instrumentBarrier, instrumentPipeline, instrumentSeal, instrumentStorage } from '../core/metrics/server-metrics.js';
import { lifecycleCounter, registerCollectors } from '../core/metrics/collectors.js';

export interface ComposeOptions {
  logger: Logger;
  /** Override the storage (dev mode uses inmem). */
  storage?: Storage;
  /** Environment for seal parameters (VAULT_HSM_*, ...); default process.env. */
  env?: Env;
}

export async function composeServer(config: ServerConfig, options: ComposeOptions) {
  const { logger } = options;
  const metrics = createServerMetrics();
  const storage = instrumentStorage(options.storage ?? await openStorage(config.storage.type, config.storage.options), metrics, config.storage.type);
  const chosenSeals = await chooseSeals(config.seals, { env: options.env ?? process.env });
  const randomBytes = randomBytesFor(config, chosenSeals.seal);
  const barrier = withReadCache(instrumentBarrier(createAesGcmBarrier(storage, { random: randomBytes }), metrics));
  const seal = instrumentSeal(chosenSeals.seal, metrics);
  await initSeal(seal, (message) => logger.log('error', message));
  const migrationSeal = chosenSeals.migrationSeal;
  if (migrationSeal) await initSeal(migrationSeal, (message) => logger.log('error', message));
  /** Run in order for each token as it is revoked (its leases; its cubbyhole). */
  const tokenRevokeHooks: Array<(entry: TokenEntry) => Promise<void>> = [];
  const tokens = createTokenStore({
    storage: barrier.view('sys/token/'),
    onRevoke: async (entry) => { for (const hook of tokenRevokeHooks) await hook(entry); },
  });
  const policies = createPolicyStore({ storage: barrier.view('sys/policy/') });
  const passwordPolicies = createPasswordPolicyStore({ storage: barrier.view('sys/password_policy/') });
  const acl = createAclProvider(policies);
  const registry = createBackendRegistry();
  const systemLimits = () => ({ defaultTtl: config.defaultLeaseTtlSeconds, maxTtl: config.maxLeaseTtlSeconds });
  // Seal wrapping (auto seals only; with Shamir the barrier itself is the seal): entries of
  // seal_wrap mounts and each backend's sealWrapStorage paths are also encrypted by the seal.
  const mountBarrier = withSealWrap(barrier, {
    wrapper: () => (seal.type === 'shamir' ? undefined : seal.wrapper()),
    isCritical: sealWrapRule(() => mounts),
  });
  const mounts = createMountManager({
    barrier: mountBarrier,
    registry,
    randomBytes,
    systemDefaults: () => ({ defaultLeaseTtl: config.defaultLeaseTtlSeconds, maxLeaseTtl: config.maxLeaseTtlSeconds }),
    revokeLeasesWithPrefix: async (prefix) => { await expiration.revokePrefix(prefix); },
  });
  const expiration = createExpirationManager({
    storage: barrier.view('sys/expire/'),
    mounts,
    systemLimits,
    revokeToken: async (hashedId) => {
      const entry = await tokens.lookupHashed(hashedId);
      if (entry) await tokens.revokeTree(entry);
    },
    lookupToken: (hashedId) => tokens.lookupHashed(hashedId),
    log: (level, message) => logger.log(level, message),
  });
  tokenRevokeHooks.push((entry) => expiration.revokeByToken(entry));
  tokenRevokeHooks.push(async (entry) => {
    const cubbyhole = mounts.find('mounts', 'cubbyhole/');
    if (cubbyhole) await destroyCubbyhole(cubbyhole.storage, entry.hashedId);
  });
  const wrapping = createResponseWrapper({
    tokens, cubbyholeStorage: cubbyholeStorageOf(mounts), registerToken: (entry) => expiration.registerToken(entry),
  });
  const identity = wireIdentity({ storage: barrier.view('sys/identity/'), acl, mounts, apiAddr: () => config.apiAddr ?? boundAddress });
  const lockouts = createLockoutTracker({ storage: barrier.view(LOCKED_USERS_PREFIX) });
  const forwardingKey = createForwardingKey({ barrier, randomBytes });
  const mountSubsystem: Subsystem = {
    name: 'mounts',
    load: () => mounts.load(defaultMounts()),
    loadStandby: () => mounts.loadStandby(servesStandbyReads),
    unload: () => mounts.unload(),
  };
  const audit = createAuditBroker({
    storage: barrier,
    randomBytes,
    nonHmacKeys: (req) => {
      const config = mounts.byAccessor(req.mountAccessor)?.entry.config;
      return config && { request: config.auditNonHmacRequestKeys, response: config.auditNonHmacResponseKeys };
    },
    log: (level, message) => logger.log(level, message),
    onWriteFailure: (device, type) => metrics.auditFailures.inc({ device, type }),
  });
  // Standbys audit the reads they serve themselves, to their own devices.
  const auditSubsystem: Subsystem = { name: 'audit', load: () => audit.load(), loadStandby: () => audit.load(), unload: () => audit.unload() };
  const core = new Core({
    physical: storage,
    barrier,
    seal,
    tokens,
    subsystems: [policies, mountSubsystem, auditSubsystem, expiration, lockouts, forwardingKey, lifecycleCounter(metrics), identity.subsystem],
    randomBytes,
    storageType: config.storage.type,
    clusterName: config.clusterName,
    log: (level, message) => logger.log(level, message),
  });
  if (migrationSeal) core.attachMigration(createSealMigration({ physical: storage, seal, oldSeal: migrationSeal, log: (level, message) => logger.log(level, message) }));
  let boundAddress: string | undefined;
  const ha = setupHa({
    config, storage, core, logger,
    boundAddress: () => boundAddress,
    route: (path) => mounts.route(path),
    invalidate: {
      cachedKey: (key) => barrier.invalidate(key),
      keyring: () => barrier.reload(),
      token: (hashedId) => tokens.forget(hashedId),
      policy: (name) => policies.forget(name),
      identity: () => identity.store.unload(),
    },
  });
  const inFlight = createInFlightTracker();
  registry.register('mounts', 'system', () => createSysBackend({
    core, inFlight, mounts, registry, policies, acl, wrapping, expiration, ha, stepDown: () => core.stepDown(), passwordPolicies, config, logger,
    audit, metrics: { registry: metrics.registry, telemetry: config.telemetry }, identity: identity.resolver,
  }, [...CORE_SYS_GROUPS, lockedUsersPaths(lockouts)]));
  registerCollectors(metrics, {
    sealed: () => core.sealed,
    tokenCount: async () => (await tokens.listHashedIds()).length,
    listLeases: (prefix) => expiration.list(prefix),
  });
  registry.register('mounts', 'identity', () => identity.backend());
  registry.register('mounts', 'cubbyhole', (ctx) => createCubbyholeBackend(ctx));
  registry.register('mounts', 'kv', (ctx) => createKvBackend(ctx));
  registry.register('mounts', 'transit', (ctx) => createTransitBackend(ctx));
  registry.register('mounts', 'keymgmt', (ctx) => createKeymgmtBackend(ctx));
  // Engines whose libraries are heavy (X.509: ~13 MB; database drivers) load with their first mount.
  registry.register('mounts', 'pki', async (ctx) => (await import('../engines/pki/index.js')).createPkiBackend(ctx));
  registry.register('mounts', 'ssh', (ctx) => createSshBackend(ctx));
  registry.register('mounts', 'totp', (ctx) => createTotpBackend(ctx));
  registry.register('mounts', 'database', async (ctx) => (await import('../engines/database/index.js')).createDatabaseBackend(ctx, { generatePassword: (name) => passwordPolicies.generate(name), log: (level, message) => logger.log(level, message) }));
  registry.register('auth', 'userpass', (ctx) => createUserpassBackend({ ...ctx, lockouts }));
  registry.register('auth', 'approle', (ctx) => createAppRoleBackend({ ...ctx, lockouts }));
  registry.register('auth', 'ldap', (ctx) => createLdapBackend({ ...ctx, lockouts }));
  registry.register('auth', 'jwt', (ctx) => createJwtBackend(ctx));
  registry.register('auth', 'oidc', (ctx) => createJwtBackend(ctx));
  registry.register('auth', 'cert', async (ctx) => (await import('../auth/cert/index.js')).createCertBackend(ctx));
  registry.register('auth', 'github', (ctx) => createGithubBackend(ctx));
  registry.register('auth', 'aws', (ctx) => createAwsBackend(ctx));
  registry.register('auth', 'kubernetes', (ctx) => createKubernetesBackend(ctx));
  registry.register('auth', 'token', (ctx) => createTokenBackend({ tokens, storage: ctx.storage, mounts, systemLimits, leases: expiration, sudo: sudoFromAcl(acl) }));

  const pipeline = instrumentPipeline(
    createPipeline({ core, mounts, acl, wrapper: wrapping, leases: expiration, audit, identity: identity.resolver, systemLimits }),
    (path) => mounts.route(path)?.prefix,
    metrics,
  );
  const maxRequestSize = config.listeners[0]?.maxRequestSize ?? 32 * 1024 * 1024;
  const handler = inFlight.wrap(createApiHandler({
    core, pipeline, maxRequestSize, xForwardedFor: config.listeners[0]?.xForwardedFor,
    maxRequestDurationSeconds: config.listeners[0]?.maxRequestDurationSeconds, log: (m) => logger.log('error', m),
    services: { standby: () => core.standby, leader: ha && (() => ha.leaderStatus()) },
    forwarder: ha && createForwarder(() => ha.activeAddress(), () => forwardingKey.get()),
    forwardingKey: () => forwardingKey.get(),
    standbyReads: ha?.standbyReads,
    onStandbyRequest: (served) => metrics.standbyRequests.inc({ served }),
    rawRoutes: [ceremonyRoutes({
      generateRoot: createGenerateRoot(core),
      rekey: createRekey(core, 'barrier'),
      rekeyRecovery: createRekey(core, 'recovery'),
      throttle: createAttemptThrottle(),
    })],
  }));

  return {
    core,
    handler,
    mounts,
    registry,
    policies,
    acl,
    expiration,
    ha,
    /** Audit devices: `reopen()` on SIGHUP. */
    audit,
    metrics,
    /** The first listener's URL once bound: the api_addr when the config names none. */
    setBoundAddress(url: string): void { boundAddress = url; },
    /** Dev mode: mount what `-dev` adds (secret/ as KV v2) once the server is unsealed. */
    afterDevInit: (async () => {
      await mounts.mount(newMountEntry('mounts', 'secret/', 'kv', { options: { version: '2' }, description: 'key/value secret storage' }));
    }) as undefined | (() => Promise<void>),
    async close(): Promise<void> {
      ha?.stop();
      await core.seal().catch(() => {});
      await seal.close();
      await migrationSeal?.close();
      await storage.close();
    },
  };
}

export type ComposedServer = Awaited<ReturnType<typeof composeServer>>;
