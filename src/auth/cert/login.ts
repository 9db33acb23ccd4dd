/** auth/cert/login: the client certificate of the mutual-TLS connection (Vault's path_login.go). */
import { PermissionDenied } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { LogicalRequest } from '../../framework/logical.js';
import { remoteAddressAllowed } from '../../core/tokens/cidr.js';
import { authResultFrom } from '../common/token-params.js';
import { matchClientCertificate, type Matched } from './verify.js';
import { readCert, revokedSerials, type CertEntry } from './store.js';

/** The trusted entries (one when `name` is given) and the match for this request's certificate. */
export async function verifyRequestCertificate(req: LogicalRequest, name: string | undefined, now: Date): Promise<Matched<CertEntry>> {
  const names = name ? [name] : await req.storage.list('cert/');
  const trusted = [];
  for (const n of names) {
    const entry = await readCert(req.storage, n);
    if (entry) trusted.push({ name: n.toLowerCase(), certificate: entry.certificate, entry });
  }
  const [leaf, ...presented] = req.peerCertificate ?? [];
  return matchClientCertificate(leaf, presented, trusted, await revokedSerials(req.storage), now);
}

export function loginPaths(deps: { now: () => Date }): PathDef<any>[] {
  return [
    path({
      pattern: 'login',
      fields: { name: { type: 'string', description: 'Restrict the login to this certificate role.' } } as const,
      operations: {
        update: async (req, d) => {
          const matched = await verifyRequestCertificate(req, d.name || undefined, deps.now());
          const entry = matched.entry.entry;
          if (!remoteAddressAllowed(req.remoteAddress, entry.token_bound_cidrs)) throw new PermissionDenied();
          const serial = matched.leaf.serialNumber.toLowerCase();
          return {
            auth: authResultFrom(entry, {
              displayName: entry.display_name,
              metadata: {
                cert_name: matched.entry.name,
                common_name: matched.names.commonName,
                serial_number: serial,
                subject_key_id: matched.names.subjectKeyId,
                authority_key_id: matched.names.authorityKeyId,
              },
              aliasName: matched.names.commonName,
              internal: { cert_name: matched.entry.name, fingerprint: matched.leaf.fingerprint256 },
            }),
          };
        },
      },
      synopsis: 'Log in with the TLS client certificate of this connection.',
    }),
  ];
}
