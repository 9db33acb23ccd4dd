/** sys/health and sys/leader: status codes for load balancers, works in every state. */
import { InvalidRequest } from '../../errors.js';
import { ARCA_VERSION } from '../../core/core.js';
import { sendEmpty, sendJson } from '../respond.js';
import type { RawContext, RawRoutes } from './types.js';

const DEFAULT_CODES = {
  activecode: 200, standbycode: 429, drsecondarycode: 472, performancestandbycode: 473,
  sealedcode: 503, uninitcode: 501, removedcode: 530, haunhealthycode: 474,
} as const;

type CodeName = keyof typeof DEFAULT_CODES;

function codeFrom(query: URLSearchParams, name: CodeName): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return DEFAULT_CODES[name];
  if (!/^\d+$/.test(raw)) throw new InvalidRequest(`unable to parse ${name}: not an integer`);
  const code = Number(raw);
  if (code < 100 || code > 999) throw new InvalidRequest(`${name} must be a valid HTTP status code`);
  return code;
}

function flag(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  return raw !== null && ['', '1', 't', 'true', 'TRUE', 'True'].includes(raw);
}

async function health({ req, res, url, core, services }: RawContext): Promise<void> {
  const q = url.searchParams;
  const initialized = await core.initialized();
  const sealed = core.sealed;
  const standby = services.standby?.() ?? false;
  let status: number;
  if (!initialized) status = codeFrom(q, 'uninitcode');
  else if (sealed) status = codeFrom(q, 'sealedcode');
  else if (standby && !flag(q, 'standbyok')) status = codeFrom(q, 'standbycode');
  else status = codeFrom(q, 'activecode');
  if (req.method === 'HEAD') {
    sendEmpty(res, status);
    return;
  }
  const body: Record<string, unknown> = {
    initialized,
    sealed,
    standby,
    performance_standby: false,
    replication_performance_mode: 'disabled',
    replication_dr_mode: 'disabled',
    server_time_utc: Math.floor(Date.now() / 1000),
    version: ARCA_VERSION,
    enterprise: false,
    echo_duration_ms: 0,
    clock_skew_ms: 0,
  };
  const cluster = core.cluster;
  if (cluster) {
    body.cluster_name = cluster.name;
    body.cluster_id = cluster.id;
  }
  sendJson(res, status, body);
}

async function leader({ res, core, services }: RawContext): Promise<void> {
  if (services.leader) {
    sendJson(res, 200, await services.leader());
    return;
  }
  core.requireUnsealed();
  sendJson(res, 200, { ha_enabled: false });
}

export const healthRoutes: RawRoutes = {
  'sys/health': { GET: health, HEAD: health },
  'sys/leader': { GET: leader },
};
