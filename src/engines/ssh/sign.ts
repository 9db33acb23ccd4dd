/** sign/:role (sign a submitted public key) and issue/:role (generate a key pair and sign it). */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import type { LogicalRequest } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { generateSshKey } from './ca-store.js';
import { encodeCertificate, formatCertificate } from './certificate.js';
import type { SshDeps } from './deps.js';
import { keyTypeOf, parseAuthorizedKey, parsePublicKeyBlob, publicKeyBlob, RSA_SIGNERS, type ParsedPublicKey, type RsaSigner } from './key-types.js';
import { encodeOpensshPrivateKey } from './openssh-private-key.js';
import { planCertificate } from './policy.js';

const certFields = {
  role: { type: 'string', required: true },
  valid_principals: { type: 'commaStringList' },
  cert_type: { type: 'string', default: 'user', oneOf: ['user', 'host'] },
  ttl: { type: 'duration', default: 0 },
  key_id: { type: 'string', default: '' },
  extensions: { type: 'map', default: {} },
  critical_options: { type: 'map', default: {} },
} as const;

type CertFieldData = {
  role: string; valid_principals: string[] | undefined; cert_type: string; ttl: number; key_id: string;
  extensions: Record<string, unknown>; critical_options: Record<string, unknown>;
};

function subjectKeySize(subject: ParsedPublicKey): { family: 'rsa' | 'ec' | 'ed25519'; bits: number } {
  switch (subject.type.kind) {
    case 'rsa': return { family: 'rsa', bits: subject.key.asymmetricKeyDetails?.modulusLength ?? 0 };
    case 'ecdsa': return { family: 'ec', bits: subject.type.curve!.bits };
    case 'ed25519': return { family: 'ed25519', bits: 256 };
  }
}

async function signKey(deps: SshDeps, req: LogicalRequest, data: CertFieldData, subject: ParsedPublicKey) {
  const role = await deps.roles.get(data.role);
  if (!role) throw new InvalidRequest('unknown role');
  const ca = await deps.ca.get();
  if (!ca) throw new InvalidRequest('no CA signing key is configured');
  let signer: RsaSigner | undefined;
  if (keyTypeOf(ca.privateKey).kind === 'rsa') {
    signer = role.algorithm_signer === 'default' ? 'rsa-sha2-256' : role.algorithm_signer as RsaSigner;
    if (!Object.hasOwn(RSA_SIGNERS, signer)) throw new InvalidRequest('invalid algorithm_signer');
  } else if (role.algorithm_signer !== 'default') {
    throw new InvalidRequest('algorithm_signer must be default for a CA key that is not RSA');
  }
  const plan = planCertificate(role, {
    certType: data.cert_type as 'user' | 'host',
    principals: data.valid_principals,
    ttl: data.ttl,
    keyId: data.key_id,
    extensions: data.extensions,
    criticalOptions: data.critical_options,
  }, {
    roleName: data.role,
    subjectKey: subjectKeySize(subject),
    displayName: req.caller?.displayName ?? '',
    publicKeyBlob: subject.blob,
    nowSeconds: Math.floor(deps.now().getTime() / 1000),
    defaultLeaseTtl: deps.defaultLeaseTtl(),
    maxLeaseTtl: deps.maxLeaseTtl(),
  });
  const serial = Buffer.from(await deps.random(8)).readBigUInt64BE();
  const blob = encodeCertificate({ ...plan, subject, serial, nonce: await deps.random(32) }, ca.privateKey, signer);
  return { serial_number: serial.toString(16), signed_key: formatCertificate({ subject }, blob) };
}

export function signPaths(deps: SshDeps) {
  return [
    path({
      pattern: 'sign/:role',
      fields: { ...certFields, public_key: { type: 'string', required: true } },
      synopsis: 'Request signing an SSH key using a certain role with the provided details.',
      operations: {
        update: async (req, data) => ({ data: await signKey(deps, req, data, parseAuthorizedKey(data.public_key)) }),
      },
    }),
    path({
      pattern: 'issue/:role',
      fields: { ...certFields, key_type: { type: 'string', default: 'rsa', oneOf: ['rsa', 'ed25519', 'ec'] }, key_bits: { type: 'int', default: 0 } },
      synopsis: 'Generate an SSH key pair and sign its public key using a certain role.',
      operations: {
        update: async (req, data) => {
          if (!(await deps.roles.get(data.role))) throw new InvalidRequest('unknown role');
          const privateKey: KeyObject = await generateSshKey(data.key_type, data.key_bits, 2048);
          const subject = parsePublicKeyBlob(publicKeyBlob(createPublicKey(privateKey)));
          const signed = await signKey(deps, req, data, subject);
          return { data: { ...signed, private_key: encodeOpensshPrivateKey(privateKey), private_key_type: data.key_type } };
        },
      },
    }),
  ];
}
