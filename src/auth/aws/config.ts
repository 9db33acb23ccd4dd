/**
 * auth/aws/config/client: where logins are checked. The STS endpoint comes only from here —
 * never from the login request — and iam_server_id_header_value binds signed requests to this
 * server.
 */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';

export const AWS_CLIENT_CONFIG_VERSION = 1;
export const DEFAULT_STS_ENDPOINT = 'https://sts.amazonaws.com';
export const DEFAULT_STS_REGION = 'us-east-1';

export interface AwsClientConfig {
  v: number;
  sts_endpoint: string;
  sts_region: string;
  iam_server_id_header_value: string;
}

export function defaultClientConfig(): AwsClientConfig {
  return { v: AWS_CLIENT_CONFIG_VERSION, sts_endpoint: '', sts_region: '', iam_server_id_header_value: '' };
}

export const readClientConfig = async (storage: Pick<BarrierStorage, 'get'>) =>
  (await getJson<AwsClientConfig>(storage, 'config/client')) ?? defaultClientConfig();

/** The endpoint logins are forwarded to, as a URL with no query, fragment or credentials. */
export function stsEndpoint(cfg: AwsClientConfig): URL {
  return new URL(cfg.sts_endpoint || DEFAULT_STS_ENDPOINT);
}

/** sts_region, else the region a regional endpoint's host names (sts.eu-west-1.amazonaws.com), else us-east-1. */
export function stsRegion(cfg: AwsClientConfig): string {
  if (cfg.sts_region) return cfg.sts_region;
  const regional = /^sts(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(stsEndpoint(cfg).hostname);
  return regional ? regional[1] : DEFAULT_STS_REGION;
}

function checkEndpoint(raw: string): string {
  if (raw === '') return '';
  let url: URL;
  try { url = new URL(raw); } catch { throw new InvalidRequest('sts_endpoint is not a valid URL'); }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidRequest('sts_endpoint must be an http(s) URL');
  if (url.search || url.hash || url.username || url.password) throw new InvalidRequest('sts_endpoint must not carry a query, fragment or credentials');
  return raw;
}

const FIELDS = {
  sts_endpoint: { type: 'string', description: 'URL of the STS endpoint GetCallerIdentity requests are sent to.' },
  sts_region: { type: 'string', description: 'Region of the STS endpoint.' },
  iam_server_id_header_value: { type: 'string', description: 'Value required in the signed X-Vault-AWS-IAM-Server-ID header.' },
} as const;

export function configPaths(deps: { storage: BarrierStorage }): PathDef<any>[] {
  const { storage } = deps;
  return [
    path({
      pattern: 'config/client',
      fields: FIELDS,
      existenceCheck: async () => (await getJson(storage, 'config/client')) !== undefined,
      operations: {
        read: async () => {
          const cfg = await getJson<AwsClientConfig>(storage, 'config/client');
          if (!cfg) return undefined;
          return { data: { sts_endpoint: cfg.sts_endpoint, sts_region: cfg.sts_region, iam_server_id_header_value: cfg.iam_server_id_header_value, use_sts_region_from_client: false } };
        },
        create: async (_req, d) => write(d),
        update: async (_req, d) => write(d),
        delete: async () => { await storage.delete('config/client'); return undefined; },
      },
      synopsis: 'Configure the STS endpoint and the server ID header.',
    }),
  ];

  async function write(d: { sts_endpoint?: string; sts_region?: string; iam_server_id_header_value?: string }) {
    const next = await readClientConfig(storage);
    if (d.sts_endpoint !== undefined) next.sts_endpoint = checkEndpoint(d.sts_endpoint.trim());
    if (d.sts_region !== undefined) {
      if (d.sts_region !== '' && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(d.sts_region)) throw new InvalidRequest('sts_region is not a valid AWS region name');
      next.sts_region = d.sts_region;
    }
    if (d.iam_server_id_header_value !== undefined) next.iam_server_id_header_value = d.iam_server_id_header_value;
    await putJson(storage, 'config/client', next);
    return undefined;
  }
}
