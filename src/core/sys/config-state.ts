/**
 * sys/config/state/sanitized: the server configuration with Vault's key names, built from an
 * allow-list. Storage and seal options (connection URLs, PINs, cloud credentials) are never
 * included: storage shows its type, each seal its type and whether it is disabled.
 */
import { ArcaError } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { ListenerConfig, ServerConfig } from '../../config/types.js';
import type { SysContext } from './context.js';

function sanitizedListener(listener: ListenerConfig): Record<string, unknown> {
  const config: Record<string, unknown> = {
    address: listener.address,
    tls_disable: listener.tlsDisable,
    tls_min_version: listener.tlsMinVersion,
    max_request_size: listener.maxRequestSize,
  };
  if (listener.tlsCertFile !== undefined) config.tls_cert_file = listener.tlsCertFile;
  if (listener.tlsKeyFile !== undefined) config.tls_key_file = listener.tlsKeyFile;
  if (listener.maxRequestDurationSeconds !== undefined) config.max_request_duration = listener.maxRequestDurationSeconds;
  const xff = listener.xForwardedFor;
  if (xff) {
    config.x_forwarded_for_authorized_addrs = xff.authorizedAddrs;
    config.x_forwarded_for_hop_skips = xff.hopSkips;
    config.x_forwarded_for_reject_not_authorized = xff.rejectNotAuthorized;
    config.x_forwarded_for_reject_not_present = xff.rejectNotPresent;
  }
  return { type: listener.type, config };
}

export function sanitizedConfig(config: ServerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    api_addr: config.apiAddr ?? '',
    cluster_addr: config.clusterAddr ?? '',
    cluster_name: config.clusterName ?? '',
    default_lease_ttl: config.defaultLeaseTtlSeconds,
    max_lease_ttl: config.maxLeaseTtlSeconds,
    disable_mlock: config.disableMlock,
    enable_ui: config.ui,
    log_level: config.logLevel,
    log_format: config.logFormat,
    listeners: config.listeners.map(sanitizedListener),
    seals: (config.seals.length > 0 ? config.seals : [{ type: 'shamir', disabled: false }])
      .map((seal) => ({ type: seal.type, disabled: seal.disabled })),
    storage: { type: config.storage.type, cluster_addr: config.clusterAddr ?? '', redirect_addr: config.apiAddr ?? '' },
  };
  if (config.telemetry) {
    out.telemetry = {
      unauthenticated_metrics_access: config.telemetry.unauthenticatedMetricsAccess,
      prometheus_retention_time: config.telemetry.prometheusRetentionTimeSeconds,
      disable_hostname: config.telemetry.disableHostname,
    };
  }
  return out;
}

export function configStatePaths(ctx: SysContext) {
  return {
    paths: [
      path({
        pattern: 'config/state/sanitized',
        synopsis: 'The server configuration, without storage or seal parameters.',
        operations: {
          read: async () => {
            if (!ctx.config) throw new ArcaError('the server configuration is not available');
            return { data: sanitizedConfig(ctx.config) };
          },
        },
      }),
    ],
  };
}
