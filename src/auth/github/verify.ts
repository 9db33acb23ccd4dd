/**
 * The identity check of a GitHub login (Vault's verifyCredentials): the token's user, membership
 * of the configured organization (by login, and by ID when one is configured), the user's teams
 * in that organization, and the policies they map to.
 */
import { InvalidRequest } from '../../errors.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { apiRoot, type GithubConfig } from './config.js';
import { createGithubClient, type GithubFetch } from './client.js';
import { mappedPolicies } from './map.js';

export interface GithubIdentity {
  login: string;
  userId: number;
  org: string;
  /** Team names, plus slugs where they differ (Vault's group aliases). */
  teamNames: string[];
  policies: string[];
}

export async function verifyGithubToken(storage: Pick<BarrierStorage, 'get'>, cfg: GithubConfig, token: string, fetchImpl?: GithubFetch): Promise<GithubIdentity> {
  if (cfg.organization === '') throw new InvalidRequest('configure the github credential backend first');
  const client = createGithubClient(apiRoot(cfg), token, fetchImpl);
  const user = await client.user();
  const orgs = await client.orgs();
  const org = orgs.find((o) => o.login.toLowerCase() === cfg.organization.toLowerCase() && (cfg.organization_id === 0 || o.id === cfg.organization_id));
  if (!org) throw new InvalidRequest('user is not part of required org');
  const teams = (await client.teams()).filter((t) => t.organization.id === org.id);
  const teamNames: string[] = [];
  for (const t of teams) {
    teamNames.push(t.name);
    if (t.slug !== t.name) teamNames.push(t.slug);
  }
  const policies: string[] = [];
  for (const name of teamNames) policies.push(...(await mappedPolicies(storage, 'teams', name)));
  policies.push(...(await mappedPolicies(storage, 'users', user.login)));
  policies.push(...cfg.token_policies);
  return { login: user.login, userId: user.id, org: org.login, teamNames, policies: [...new Set(policies)] };
}
