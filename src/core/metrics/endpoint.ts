/** What sys/metrics serves: the registry and the telemetry stanza that governs it. */
import { hostname } from 'node:os';
import type { TelemetryConfig } from '../../config/types.js';
import { InvalidRequest } from '../../errors.js';
import type { MetricsRegistry } from './registry.js';

export interface MetricsEndpoint {
  registry: MetricsRegistry;
  /** Undefined: Vault's defaults (token required, Prometheus on with 24h retention, hostname label). */
  telemetry?: TelemetryConfig;
  hostname?: string;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders a scrape: Prometheus text for format=prometheus, go-metrics JSON otherwise. */
export async function renderMetrics(endpoint: MetricsEndpoint, format: string): Promise<{ contentType: string; body: string }> {
  await endpoint.registry.collect();
  if (format === 'prometheus') {
    if (endpoint.telemetry && endpoint.telemetry.prometheusRetentionTimeSeconds <= 0) {
      throw new InvalidRequest('prometheus is not enabled');
    }
    const labels: Record<string, string> = endpoint.telemetry?.disableHostname ? {} : { host: endpoint.hostname ?? hostname() };
    return { contentType: PROMETHEUS_CONTENT_TYPE, body: endpoint.registry.renderPrometheus(labels) };
  }
  if (format !== '' && format !== 'json') throw new InvalidRequest('format must be "prometheus" or "json"');
  return { contentType: 'application/json', body: JSON.stringify(endpoint.registry.renderJson()) };
}
