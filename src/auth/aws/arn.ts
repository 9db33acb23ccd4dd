/**
 * Strict parsing of the principal ARN that STS returns (Vault's parseIamArn, stricter): the
 * partition, service, 12-digit account and resource type are checked, names use IAM's character
 * set, and an assumed role has exactly a role and a session. Binding patterns may hold `*`, which
 * matches within the resource part only (never across ':').
 */
import { InvalidRequest } from '../../errors.js';

export type PrincipalType = 'user' | 'role' | 'assumed-role' | 'federated-user';

export interface ParsedArn {
  partition: string;
  account: string;
  type: PrincipalType;
  /** IAM path between the type and the name ("/" when none), for user and role. */
  path: string;
  friendlyName: string;
  sessionName?: string;
  /** arn:partition:iam::account:role/Name — the form Vault binds against. */
  canonical: string;
  /** The ARN with its IAM path (user/role only). */
  fullArn: string;
}

const NAME = /^[\w+=,.@-]{1,128}$/;
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b']);
export const MALFORMED_ARN = 'unrecognized ARN returned by STS';

export function parsePrincipalArn(arn: string): ParsedArn {
  const m = /^arn:([a-z-]+):(iam|sts)::(\d{12}):([\w+=,.@/-]+)$/.exec(arn);
  if (!m || !PARTITIONS.has(m[1])) throw new InvalidRequest(MALFORMED_ARN);
  const [, partition, service, account, resource] = m;
  const parts = resource.split('/');
  const type = parts[0];
  if (parts.some((p) => p === '') || parts.length < 2) throw new InvalidRequest(MALFORMED_ARN);
  if (!parts.slice(1).every((p) => NAME.test(p))) throw new InvalidRequest(MALFORMED_ARN);
  if (service === 'iam' && (type === 'user' || type === 'role')) {
    const friendlyName = parts[parts.length - 1];
    const iamPath = parts.length > 2 ? `/${parts.slice(1, -1).join('/')}/` : '/';
    return {
      partition, account, type, path: iamPath, friendlyName,
      canonical: `arn:${partition}:iam::${account}:${type}/${friendlyName}`,
      fullArn: arn,
    };
  }
  if (service === 'sts' && type === 'assumed-role' && parts.length === 3) {
    return {
      partition, account, type, path: '/', friendlyName: parts[1], sessionName: parts[2],
      canonical: `arn:${partition}:iam::${account}:role/${parts[1]}`,
      fullArn: `arn:${partition}:iam::${account}:role/${parts[1]}`,
    };
  }
  if (service === 'sts' && type === 'federated-user' && parts.length === 2) {
    return { partition, account, type, path: '/', friendlyName: parts[1], canonical: arn, fullArn: arn };
  }
  throw new InvalidRequest(MALFORMED_ARN);
}

/** A bound_iam_principal_arn entry: an ARN, optionally with `*` wildcards. */
export function validBindingPattern(pattern: string): boolean {
  return /^arn:[a-z*-]+:(iam|sts|\*)::(\d{12}|\*):[\w+=,.@/*-]+$/.test(pattern) || pattern === '*';
}

function patternRegex(pattern: string): RegExp {
  const escaped = pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('[\\w+=,.@/-]*');
  return new RegExp(`^${escaped}$`);
}

/** True when the principal's canonical or full ARN matches one of the bound patterns. */
export function principalBound(principal: ParsedArn, bound: readonly string[]): boolean {
  return bound.some((pattern) => {
    if (!pattern.includes('*')) return pattern === principal.canonical || pattern === principal.fullArn;
    const re = patternRegex(pattern);
    return re.test(principal.canonical) || re.test(principal.fullArn);
  });
}
