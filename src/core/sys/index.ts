/** The system backend, mounted at sys/: one file per path group, assembled here. */
import type { Backend } from '../../framework/backend.js';
import type { PathDef } from '../../framework/path.js';
import type { SysContext } from './context.js';
import { sealPaths } from './seal.js';
import { haStatusPaths } from './ha-status.js';
import { openApiPaths } from './openapi.js';
import { keyringPaths } from './keyring.js';
import { policyPaths } from './policy.js';
import { capabilitiesPaths } from './capabilities.js';
import { wrappingPaths } from './wrapping.js';
import { mountsPaths } from './mounts.js';
import { authPaths } from './auth.js';
import { remountPaths } from './remount.js';
import { internalUiPaths } from './internal-ui.js';
import { leasePaths } from './leases.js';
import { auditPaths } from './audit.js';
import { metricsPaths } from './metrics.js';
import { passwordPolicyPaths } from './password-policies.js';
import { toolsPaths } from './tools.js';
import { loggerPaths } from './loggers.js';
import { configStatePaths } from './config-state.js';
import { hostInfoPaths } from './host-info.js';
import { versionHistoryPaths } from './version-history.js';
import { leaseCountPaths } from './lease-counts.js';
import { inFlightPaths } from './in-flight.js';

export interface PathGroup {
  paths: PathDef<any>[];
  rootPaths?: string[];
  unauthenticatedPaths?: string[];
}

export type PathGroupFactory = (ctx: SysContext) => PathGroup;

export const CORE_SYS_GROUPS: PathGroupFactory[] = [sealPaths, keyringPaths, policyPaths, capabilitiesPaths,
  mountsPaths, authPaths, remountPaths, internalUiPaths, wrappingPaths, leasePaths, leaseCountPaths, passwordPolicyPaths, haStatusPaths,
  auditPaths, metricsPaths, toolsPaths, loggerPaths, configStatePaths, hostInfoPaths, versionHistoryPaths, inFlightPaths, openApiPaths];

export function createSysBackend(ctx: SysContext, groups: PathGroupFactory[] = CORE_SYS_GROUPS): Backend {
  const built = groups.map((g) => g(ctx));
  return {
    paths: built.flatMap((g) => g.paths),
    rootPaths: built.flatMap((g) => g.rootPaths ?? []),
    unauthenticatedPaths: built.flatMap((g) => g.unauthenticatedPaths ?? []),
  };
}
