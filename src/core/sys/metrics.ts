/**
 * sys/metrics: Prometheus text with `?format=prometheus`, go-metrics JSON otherwise. A token is
 * required unless telemetry sets `unauthenticated_metrics_access`.
 */
import { path } from '../../framework/path.js';
import { renderMetrics } from '../metrics/endpoint.js';
import type { SysContext } from './context.js';

export function metricsPaths(ctx: SysContext) {
  const endpoint = ctx.metrics;
  if (!endpoint) return { paths: [] };
  return {
    unauthenticatedPaths: endpoint.telemetry?.unauthenticatedMetricsAccess ? ['metrics'] : [],
    paths: [
      path({
        pattern: 'metrics',
        synopsis: 'Server metrics (Prometheus text or JSON).',
        fields: { format: { type: 'string', default: '' } },
        operations: {
          read: async (_req, data) => {
            const { contentType, body } = await renderMetrics(endpoint, data.format);
            return { raw: { status: 200, contentType, body } };
          },
        },
      }),
    ],
  };
}
