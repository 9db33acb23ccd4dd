/** auth/cert/crls/:name — certificate revocation lists checked at every login. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import { parseCrlSerials } from './parse.js';
import { CRL_ENTRY_VERSION, readCrl, validName, writeCrl } from './store.js';

export function crlPaths(): PathDef<any>[] {
  return [
    path({
      pattern: 'crls/',
      operations: { list: async (req) => ({ data: { keys: await req.storage.list('crls/') } }) },
      synopsis: 'List the stored CRLs.',
    }),
    path({
      pattern: 'crls/:name',
      fields: { name: { type: 'string', required: true }, crl: { type: 'string' } } as const,
      operations: {
        read: async (req, d) => {
          const e = await readCrl(req.storage, d.name);
          if (!e) return undefined;
          return { data: { serials: Object.fromEntries(e.serials.map((s) => [s, {}])) } };
        },
        update: async (req, d) => {
          if (!validName(d.name)) throw new InvalidRequest('invalid CRL name');
          if (!d.crl) throw new InvalidRequest('missing crl');
          await writeCrl(req.storage, d.name, { v: CRL_ENTRY_VERSION, crl: d.crl, serials: parseCrlSerials(d.crl) });
          return undefined;
        },
        delete: async (req, d) => {
          if (validName(d.name)) await req.storage.delete(`crls/${d.name.toLowerCase()}`);
          return undefined;
        },
      },
      synopsis: 'Manage certificate revocation lists.',
    }),
  ];
}
