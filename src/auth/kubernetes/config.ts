/**
 * auth/kubernetes/config: the API server that reviews tokens (kubernetes_host, its CA) and the
 * reviewer's JWT. When disable_local_ca_jwt is false and a value is unset, the pod's own
 * service-account files are used, as Vault does when it runs inside the cluster.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';

export const K8S_CONFIG_VERSION = 1;
export const LOCAL_SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubernetesConfig {
  v: number;
  kubernetes_host: string;
  kubernetes_ca_cert: string;
  token_reviewer_jwt: string;
  disable_local_ca_jwt: boolean;
}

export const readK8sConfig = (storage: Pick<BarrierStorage, 'get'>) => getJson<KubernetesConfig>(storage, 'config');

/** The CA and reviewer JWT in effect: the configured ones, else the pod's local files (if allowed). */
export async function effectiveCredentials(cfg: KubernetesConfig, localDir: string): Promise<{ ca: string; reviewerJwt: string }> {
  const local = async (file: string) => (cfg.disable_local_ca_jwt ? '' : (await readFile(join(localDir, file), 'utf8').catch(() => '')).trim());
  return {
    ca: cfg.kubernetes_ca_cert || (await local('ca.crt')),
    reviewerJwt: cfg.token_reviewer_jwt || (await local('token')),
  };
}

function checkCa(pem: string): void {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) throw new InvalidRequest('kubernetes_ca_cert is not a PEM certificate');
  for (const block of blocks) {
    try { new X509Certificate(block); } catch { throw new InvalidRequest('kubernetes_ca_cert holds an unparsable certificate'); }
  }
}

const FIELDS = {
  kubernetes_host: { type: 'string', description: 'Host[:port] or URL of the Kubernetes API server.' },
  kubernetes_ca_cert: { type: 'string', description: 'PEM CA certificate of the API server.' },
  token_reviewer_jwt: { type: 'string', description: 'JWT used to call the TokenReview API; the login JWT is used when empty.' },
  disable_local_ca_jwt: { type: 'bool', description: 'Do not fall back to the pod-local CA and service-account token.' },
} as const;

export function configPaths(deps: { storage: BarrierStorage }): PathDef<any>[] {
  const { storage } = deps;
  return [
    path({
      pattern: 'config',
      fields: FIELDS,
      operations: {
        read: async () => {
          const cfg = await readK8sConfig(storage);
          if (!cfg) return undefined;
          return { data: { kubernetes_host: cfg.kubernetes_host, kubernetes_ca_cert: cfg.kubernetes_ca_cert, disable_local_ca_jwt: cfg.disable_local_ca_jwt, token_reviewer_jwt_set: cfg.token_reviewer_jwt !== '', pem_keys: [], issuer: '', disable_iss_validation: true } };
        },
        update: async (_req, d) => {
          const current = (await readK8sConfig(storage)) ?? { v: K8S_CONFIG_VERSION, kubernetes_host: '', kubernetes_ca_cert: '', token_reviewer_jwt: '', disable_local_ca_jwt: false };
          const next: KubernetesConfig = { ...current };
          if (d.kubernetes_host !== undefined) next.kubernetes_host = d.kubernetes_host.trim();
          if (d.kubernetes_ca_cert !== undefined) next.kubernetes_ca_cert = d.kubernetes_ca_cert;
          if (d.token_reviewer_jwt !== undefined) next.token_reviewer_jwt = d.token_reviewer_jwt.trim();
          if (d.disable_local_ca_jwt !== undefined) next.disable_local_ca_jwt = d.disable_local_ca_jwt;
          if (next.kubernetes_host === '') throw new InvalidRequest('no host provided');
          let url: URL;
          try { url = new URL(/^[a-z]+:\/\//i.test(next.kubernetes_host) ? next.kubernetes_host : `https://${next.kubernetes_host}`); } catch { throw new InvalidRequest('kubernetes_host is not a valid host or URL'); }
          if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password) throw new InvalidRequest('kubernetes_host must be an http(s) URL without query or credentials');
          if (next.kubernetes_ca_cert) checkCa(next.kubernetes_ca_cert);
          if (next.token_reviewer_jwt && next.token_reviewer_jwt.split('.').length !== 3) throw new InvalidRequest('token_reviewer_jwt is not a JWT');
          await putJson(storage, 'config', next);
          return undefined;
        },
      },
      synopsis: 'Configure the Kubernetes API server that reviews service-account tokens.',
    }),
  ];
}
