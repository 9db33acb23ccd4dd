/**
 * The GitHub REST calls a login makes (GET /user, /user/orgs, /user/teams, and /orgs/:org for
 * the organization ID), with token auth and Link-header pagination. Errors never carry the token.
 */
import { InvalidRequest, UpstreamError } from '../../errors.js';

export type GithubFetch = typeof fetch;

export interface GithubUser { login: string; id: number }
export interface GithubOrg { login: string; id: number }
export interface GithubTeam { name: string; slug: string; organization: GithubOrg }

const MAX_PAGES = 50;

function asString(v: unknown): string | undefined { return typeof v === 'string' ? v : undefined; }
function asId(v: unknown): number | undefined { return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined; }

function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /^\s*<([^>]+)>\s*;\s*rel="?next"?\s*$/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

export function createGithubClient(apiRoot: string, token: string, fetchImpl: GithubFetch = fetch) {
  const root = new URL(apiRoot);

  async function get(url: URL): Promise<{ body: unknown; link: string | null }> {
    let res: Response;
    try {
      res = await fetchImpl(url, {
        headers: {
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': '2022-11-28',
          'User-Agent': 'arca-github-auth',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        redirect: 'error',
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new UpstreamError(`error reaching the GitHub API: ${err instanceof Error ? err.name : 'network error'}`);
    }
    const text = await res.text();
    if (res.status === 401) throw new InvalidRequest('GitHub rejected the token: Bad credentials');
    if (res.status === 403 || res.status === 404) throw new InvalidRequest(`GitHub API refused ${url.pathname} (status ${res.status})`);
    if (res.status !== 200) throw new UpstreamError(`GitHub API answered ${url.pathname} with status ${res.status}`);
    let body: unknown;
    try { body = JSON.parse(text); } catch { throw new UpstreamError(`GitHub API returned invalid JSON for ${url.pathname}`); }
    return { body, link: res.headers.get('link') };
  }

  /** All pages of a list endpoint; next links must stay on the configured API host. */
  async function list(relative: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let url: URL | undefined = new URL(relative, root);
    url.searchParams.set('per_page', '100');
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const { body, link } = await get(url);
      if (!Array.isArray(body)) throw new UpstreamError(`GitHub API returned a non-list for ${url.pathname}`);
      items.push(...body);
      const next = nextLink(link);
      url = next ? new URL(next, root) : undefined;
      if (url && url.origin !== root.origin) throw new UpstreamError('GitHub API pagination left the configured host');
    }
    return items;
  }

  return {
    async user(): Promise<GithubUser> {
      const { body } = await get(new URL('user', root));
      const b = body as Record<string, unknown> | null;
      const login = asString(b?.login);
      const id = asId(b?.id);
      if (!login || id === undefined) throw new UpstreamError('GitHub API returned a user without login or id');
      return { login, id };
    },
    async orgs(): Promise<GithubOrg[]> {
      return (await list('user/orgs')).flatMap((o) => {
        const r = o as Record<string, unknown> | null;
        const login = asString(r?.login);
        const id = asId(r?.id);
        return login && id !== undefined ? [{ login, id }] : [];
      });
    },
    async teams(): Promise<GithubTeam[]> {
      return (await list('user/teams')).flatMap((t) => {
        const r = t as Record<string, unknown> | null;
        const org = r?.organization as Record<string, unknown> | undefined;
        const name = asString(r?.name);
        const slug = asString(r?.slug);
        const orgLogin = asString(org?.login);
        const orgId = asId(org?.id);
        return name && slug && orgLogin && orgId !== undefined ? [{ name, slug, organization: { login: orgLogin, id: orgId } }] : [];
      });
    },
    async organizationId(org: string): Promise<number> {
      if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(org)) throw new InvalidRequest('organization is not a valid GitHub organization name');
      const { body } = await get(new URL(`orgs/${encodeURIComponent(org)}`, root));
      const id = asId((body as Record<string, unknown> | null)?.id);
      if (id === undefined) throw new UpstreamError('GitHub API returned an organization without an id');
      return id;
    },
  };
}
