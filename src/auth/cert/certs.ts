/** auth/cert/certs/:name — trusted certificates with name constraints and token parameters. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import { TOKEN_FIELDS, parseTokenParams, tokenParamsData } from '../common/token-params.js';
import { parsePemBundle } from './parse.js';
import { CERT_ENTRY_VERSION, readCert, validName, writeCert, type CertEntry } from './store.js';

const CONSTRAINTS = ['allowed_names', 'allowed_common_names', 'allowed_dns_sans', 'allowed_email_sans', 'allowed_uri_sans', 'allowed_organizational_units'] as const;

const FIELDS = {
  name: { type: 'string', required: true },
  certificate: { type: 'string', description: 'PEM certificate(s): a CA, or the client certificate itself.' },
  display_name: { type: 'string' },
  allowed_names: { type: 'commaStringList' },
  allowed_common_names: { type: 'commaStringList' },
  allowed_dns_sans: { type: 'commaStringList' },
  allowed_email_sans: { type: 'commaStringList' },
  allowed_uri_sans: { type: 'commaStringList' },
  allowed_organizational_units: { type: 'commaStringList' },
  ...TOKEN_FIELDS,
} as const;

export function certPaths(): PathDef<any>[] {
  return [
    path({
      pattern: 'certs/',
      operations: { list: async (req) => ({ data: { keys: await req.storage.list('cert/') } }) },
      synopsis: 'Manage trusted certificates used for authentication.',
    }),
    path({
      pattern: 'certs/:name',
      fields: FIELDS,
      existenceCheck: async (req, d) => (await readCert(req.storage, d.name)) !== undefined,
      operations: {
        read: async (req, d) => {
          const e = await readCert(req.storage, d.name);
          if (!e) return undefined;
          const { v: _v, ...rest } = e;
          return { data: { ...rest, ...tokenParamsData(e) } };
        },
        delete: async (req, d) => {
          if (validName(d.name)) await req.storage.delete(`cert/${d.name.toLowerCase()}`);
          return undefined;
        },
        create: (req, d) => write(req.storage, d),
        update: (req, d) => write(req.storage, d),
      },
      synopsis: 'Manage trusted certificates used for authentication.',
    }),
  ];
}

type Input = { name: string; certificate?: string; display_name?: string } & { [K in (typeof CONSTRAINTS)[number]]?: string[] } & Parameters<typeof parseTokenParams>[0];

async function write(storage: Parameters<typeof writeCert>[0] & Parameters<typeof readCert>[0], d: Input): Promise<undefined> {
  if (!validName(d.name)) throw new InvalidRequest('invalid certificate name');
  const current = await readCert(storage, d.name);
  const certificate = d.certificate ?? current?.certificate ?? '';
  if (certificate === '') throw new InvalidRequest('missing certificate');
  parsePemBundle(certificate);
  const entry: CertEntry = {
    v: CERT_ENTRY_VERSION,
    certificate,
    display_name: d.display_name ?? current?.display_name ?? d.name,
    allowed_names: [], allowed_common_names: [], allowed_dns_sans: [], allowed_email_sans: [], allowed_uri_sans: [], allowed_organizational_units: [],
    ...parseTokenParams(d, current),
  };
  for (const key of CONSTRAINTS) entry[key] = d[key] ?? current?.[key] ?? [];
  await writeCert(storage, d.name, entry);
  return undefined;
}
