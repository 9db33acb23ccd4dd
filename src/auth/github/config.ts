/** auth/github/config: organization, organization_id, base_url (GitHub Enterprise), token parameters. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';
import { TOKEN_FIELDS, defaultTokenParams, parseTokenParams, tokenParamsData, type TokenParams } from '../common/token-params.js';
import { createGithubClient, type GithubFetch } from './client.js';

export const GITHUB_CONFIG_VERSION = 1;
export const DEFAULT_GITHUB_API = 'https://api.github.com/';

export interface GithubConfig extends TokenParams {
  v: number;
  organization: string;
  organization_id: number;
  /** Empty means api.github.com. Always ends with '/'. */
  base_url: string;
}

export const readGithubConfig = (storage: Pick<BarrierStorage, 'get'>) => getJson<GithubConfig>(storage, 'config');

/** The API root a config points at: base_url (normalised with a trailing slash) or api.github.com. */
export function apiRoot(cfg: Pick<GithubConfig, 'base_url'>): string {
  return cfg.base_url || DEFAULT_GITHUB_API;
}

function normaliseBaseUrl(raw: string): string {
  if (raw === '') return '';
  let url: URL;
  try { url = new URL(raw); } catch { throw new InvalidRequest('error parsing given base_url'); }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidRequest('base_url must be an http(s) URL');
  if (url.search || url.hash || url.username || url.password) throw new InvalidRequest('base_url must not carry a query, fragment or credentials');
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

const CONFIG_FIELDS = {
  organization: { type: 'string', description: 'The organization users must be part of.' },
  organization_id: { type: 'int', description: 'The ID of the organization; looked up when not given.' },
  base_url: { type: 'string', description: 'The API endpoint for GitHub Enterprise, e.g. https://ghe.example.com/api/v3/.' },
  ...TOKEN_FIELDS,
} as const;

export function configPaths(deps: { storage: BarrierStorage; fetch?: GithubFetch }): PathDef<any>[] {
  const { storage } = deps;
  return [
    path({
      pattern: 'config',
      fields: CONFIG_FIELDS,
      operations: {
        read: async () => {
          const cfg = await readGithubConfig(storage);
          if (!cfg) return undefined;
          return { data: { organization: cfg.organization, organization_id: cfg.organization_id, base_url: cfg.base_url, ...tokenParamsData(cfg) } };
        },
        update: async (_req, d) => {
          const current = (await readGithubConfig(storage)) ?? { v: GITHUB_CONFIG_VERSION, organization: '', organization_id: 0, base_url: '', ...defaultTokenParams() };
          const next: GithubConfig = { ...current, ...parseTokenParams(d, current), v: GITHUB_CONFIG_VERSION };
          if (d.organization !== undefined) next.organization = d.organization.trim();
          if (d.base_url !== undefined) next.base_url = normaliseBaseUrl(d.base_url.trim());
          if (next.organization === '') throw new InvalidRequest('organization is a required parameter');
          if (d.organization_id !== undefined) {
            if (d.organization_id < 0) throw new InvalidRequest('organization_id must be a positive integer');
            next.organization_id = d.organization_id;
          }
          // Vault looks the ID up when it is not given (and again when the organization changes).
          if (d.organization_id === undefined && (next.organization_id === 0 || d.organization !== undefined && d.organization.trim() !== current.organization)) {
            next.organization_id = await createGithubClient(apiRoot(next), '', deps.fetch).organizationId(next.organization);
          }
          await putJson(storage, 'config', next);
          return undefined;
        },
      },
      synopsis: 'Configure the GitHub organization and API endpoint.',
    }),
  ];
}
