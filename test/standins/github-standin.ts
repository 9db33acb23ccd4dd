/**
 * A GitHub REST API stand-in for tests (the real api.github.com cannot be reached from here):
 * GET /user, /user/orgs, /user/teams and /orgs/:org as GitHub documents them — token auth via
 * `Authorization: token <t>` or `Bearer <t>`, 401 {"message":"Bad credentials"} otherwise,
 * `per_page`/`page` pagination with a Link header. Listens on 127.0.0.1:0; `prefix` mimics a
 * GitHub Enterprise base URL such as /api/v3/.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandinOrg { login: string; id: number }
export interface StandinGithubUser { login: string; id: number; orgs: StandinOrg[]; teams: { name: string; slug: string; org: StandinOrg }[] }

export async function startGithubStandin(options: { prefix?: string } = {}) {
  const prefix = options.prefix ?? '/';
  const users = new Map<string, StandinGithubUser>();
  const orgs = new Map<string, StandinOrg>();
  const seen: { path: string; authorization: string | undefined }[] = [];

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  function page<T>(req: IncomingMessage, url: URL, items: T[], res: ServerResponse) {
    const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100);
    const pageNo = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
    const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage);
    const headers: Record<string, string> = {};
    if (pageNo * perPage < items.length) {
      const next = new URL(url.href);
      next.searchParams.set('page', String(pageNo + 1));
      headers.Link = `<http://${req.headers.host}${next.pathname}${next.search}>; rel="next"`;
    }
    send(res, 200, slice, headers);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    seen.push({ path: url.pathname, authorization: req.headers.authorization });
    if (req.method !== 'GET' || !url.pathname.startsWith(prefix)) return send(res, 404, { message: 'Not Found' });
    const rel = url.pathname.slice(prefix.length);
    const orgMatch = /^orgs\/([^/]+)$/.exec(rel);
    if (orgMatch) {
      const org = orgs.get(orgMatch[1].toLowerCase());
      return org ? send(res, 200, { login: org.login, id: org.id }) : send(res, 404, { message: 'Not Found' });
    }
    const auth = /^(?:token|bearer) (\S+)$/i.exec(req.headers.authorization ?? '');
    const user = auth ? users.get(auth[1]) : undefined;
    if (!user) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    if (rel === 'user') return send(res, 200, { login: user.login, id: user.id, type: 'User' });
    if (rel === 'user/orgs') return page(req, url, user.orgs.map((o) => ({ login: o.login, id: o.id })), res);
    if (rel === 'user/teams') {
      return page(req, url, user.teams.map((t, i) => ({ id: 1000 + i, name: t.name, slug: t.slug, organization: { login: t.org.login, id: t.org.id } })), res);
    }
    return send(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The API root to configure as base_url. */
    baseUrl: `http://127.0.0.1:${port}${prefix}`,
    seen,
    addOrg(org: StandinOrg) { orgs.set(org.login.toLowerCase(), org); },
    addUser(token: string, user: StandinGithubUser) { users.set(token, user); },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
