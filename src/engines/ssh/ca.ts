/** config/ca (generate, import, read, delete) and the unauthenticated public_key. */
import { InvalidRequest, NotFound } from '../../errors.js';
import { path } from '../../framework/path.js';
import { caFromPrivateKey, generateSshKey, parsePrivateKey } from './ca-store.js';
import type { SshDeps } from './deps.js';
import { parseAuthorizedKey } from './key-types.js';

const fields = {
  private_key: { type: 'string', default: '' },
  public_key: { type: 'string', default: '' },
  generate_signing_key: { type: 'bool', default: true },
  key_type: { type: 'string', default: 'ssh-rsa' },
  key_bits: { type: 'int', default: 0 },
} as const;

export function caPaths(deps: SshDeps) {
  return [
    path({
      pattern: 'config/ca',
      fields,
      synopsis: 'Set the SSH private key used for signing certificates.',
      operations: {
        read: async () => {
          const ca = await deps.ca.get();
          if (!ca) throw new InvalidRequest('keys haven\'t been configured yet');
          return { data: { public_key: ca.publicKey } };
        },
        delete: async () => {
          await deps.ca.delete();
        },
        update: async (req, data) => {
          if (await deps.ca.get()) throw new InvalidRequest('keys are already configured; delete them before reconfiguring');
          const importing = data.private_key !== '' || data.public_key !== '';
          if (importing) {
            if (req.data.generate_signing_key !== undefined && data.generate_signing_key) {
              throw new InvalidRequest('public_key and private_key must not be set when generate_signing_key is set to true');
            }
            if (data.private_key === '') throw new InvalidRequest('missing private_key');
            const ca = caFromPrivateKey(parsePrivateKey(data.private_key));
            if (data.public_key !== '') {
              const given = parseAuthorizedKey(data.public_key);
              if (!given.blob.equals(parseAuthorizedKey(ca.publicKey).blob)) throw new InvalidRequest('public_key does not match private_key');
            }
            await deps.ca.put(ca);
            return undefined;
          }
          if (!data.generate_signing_key) throw new InvalidRequest('missing public_key and private_key');
          const ca = caFromPrivateKey(await generateSshKey(data.key_type, data.key_bits, 4096));
          await deps.ca.put(ca);
          return { data: { public_key: ca.publicKey } };
        },
      },
    }),
    path({
      pattern: 'public_key',
      synopsis: 'Retrieve the public key of the SSH CA.',
      operations: {
        read: async () => {
          const ca = await deps.ca.get();
          if (!ca) throw new NotFound('');
          return { raw: { status: 200, contentType: 'text/plain', body: ca.publicKey } };
        },
      },
    }),
  ];
}
