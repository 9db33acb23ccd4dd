/**
 * Reads the service account a Kubernetes JWT claims to be (without trusting it: the TokenReview
 * decides, and its answer must agree). Both claim layouts: the projected-token `kubernetes.io`
 * object and the legacy `kubernetes.io/serviceaccount/*` claims.
 */
import { InvalidRequest } from '../../errors.js';

export interface ClaimedServiceAccount { namespace: string; name: string; uid: string; audiences: string[] }

const DNS_LABEL = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function claimedServiceAccount(jwt: string): ClaimedServiceAccount {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) throw new InvalidRequest('jwt is not a compact JWS');
  let claims: Record<string, any>;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch { throw new InvalidRequest('jwt payload is not JSON'); }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new InvalidRequest('jwt payload is not a JSON object');
  const k8s = claims['kubernetes.io'];
  const namespace = typeof k8s?.namespace === 'string' ? k8s.namespace : claims['kubernetes.io/serviceaccount/namespace'];
  const name = typeof k8s?.serviceaccount?.name === 'string' ? k8s.serviceaccount.name : claims['kubernetes.io/serviceaccount/service-account.name'];
  const uid = typeof k8s?.serviceaccount?.uid === 'string' ? k8s.serviceaccount.uid : claims['kubernetes.io/serviceaccount/service-account.uid'];
  if (typeof namespace !== 'string' || typeof name !== 'string' || !DNS_LABEL.test(namespace) || !DNS_LABEL.test(name)) {
    throw new InvalidRequest('could not parse the service account from the jwt');
  }
  if (claims.sub !== undefined && claims.sub !== `system:serviceaccount:${namespace}:${name}`) throw new InvalidRequest('jwt subject does not match its service account claims');
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  return { namespace, name, uid: typeof uid === 'string' ? uid : '', audiences };
}
