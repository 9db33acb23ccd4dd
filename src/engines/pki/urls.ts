/** config/urls — the AIA and CRL distribution URLs put into issued certificates. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { PkiDeps } from './deps.js';

function checkUrls(urls: string[]): string[] {
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidRequest('invalid URL in config/urls');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:' && parsed.protocol !== 'ldap:') {
      throw new InvalidRequest('config/urls accepts http, https and ldap URLs only');
    }
  }
  return urls;
}

export function urlsPaths(deps: PkiDeps) {
  return [
    path({
      pattern: 'config/urls',
      fields: {
        issuing_certificates: { type: 'commaStringList' },
        crl_distribution_points: { type: 'commaStringList' },
        ocsp_servers: { type: 'commaStringList' },
        enable_templating: { type: 'bool', default: false },
      },
      synopsis: 'URLs for the issuing certificate, CRL distribution points and OCSP servers.',
      operations: {
        read: async () => ({ data: { ...(await deps.store.getUrls()), enable_templating: false } }),
        update: async (_req, data) => {
          if (data.enable_templating) throw new InvalidRequest('enable_templating is not supported');
          const current = await deps.store.getUrls();
          await deps.store.putUrls({
            issuing_certificates: checkUrls(data.issuing_certificates ?? current.issuing_certificates),
            crl_distribution_points: checkUrls(data.crl_distribution_points ?? current.crl_distribution_points),
            ocsp_servers: checkUrls(data.ocsp_servers ?? current.ocsp_servers),
          });
        },
      },
    }),
  ];
}
