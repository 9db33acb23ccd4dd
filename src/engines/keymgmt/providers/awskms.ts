/**
 * `awskms`: AWS KMS bring-your-own-key. Imported key material cannot be rotated inside AWS, so
 * each Arca version becomes its own KMS key (Origin EXTERNAL) and the alias
 * `alias/arca/<name>` follows the latest version (AWS's manual rotation). Per version:
 * CreateKey → GetParametersForImport (RSAES_OAEP_SHA_256, RSA_2048 wrapping key) → the key
 * material encrypted to the returned public key → ImportKeyMaterial with the import token →
 * CreateAlias / UpdateAlias. Versions below min_enabled_version are disabled with DisableKey;
 * removal deletes the alias and schedules every version's key for deletion (7 days, the minimum).
 */
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import {
  CreateAliasCommand, CreateKeyCommand, DeleteAliasCommand, DisableKeyCommand, EnableKeyCommand,
  GetParametersForImportCommand, ImportKeyMaterialCommand, KMSClient, ScheduleKeyDeletionCommand, UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { InvalidRequest } from '../../../errors.js';
import { call, hasCode } from './errors.js';
import type { DistributedKeyRef, KmsClient } from './types.js';

const SERVICE = 'AWS KMS';
export const PENDING_DELETION_DAYS = 7;
export const aliasOf = (ref: Pick<DistributedKeyRef, 'name'>) => `alias/arca/${ref.name}`;

export function createAwsKmsClient(region: string, credentials: Readonly<Record<string, string>>): KmsClient {
  const client = new KMSClient({
    region,
    ...(credentials.endpoint ? { endpoint: credentials.endpoint } : {}),
    ...(credentials.access_key && credentials.secret_key
      ? { credentials: { accessKeyId: credentials.access_key, secretAccessKey: credentials.secret_key, ...(credentials.session_token ? { sessionToken: credentials.session_token } : {}) } }
      : {}),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  });
  const send = <T>(operation: string, command: any): Promise<T> => call(SERVICE, operation, () => client.send(command) as Promise<T>);

  return {
    async importVersion(ref, version, material, first) {
      if (material.kind !== 'aes') throw new InvalidRequest('awskms accepts only aes256-gcm96 keys');
      const created = await send<any>('CreateKey', new CreateKeyCommand({
        Origin: 'EXTERNAL', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT',
        Description: `Arca keymgmt: ${ref.name} version ${version}`,
        Tags: [{ TagKey: 'arca-keymgmt-key', TagValue: ref.name }, { TagKey: 'arca-keymgmt-version', TagValue: String(version) }],
      }));
      const keyId = String(created.KeyMetadata?.KeyId ?? '');
      const params = await send<any>('GetParametersForImport', new GetParametersForImportCommand({
        KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048',
      }));
      let wrapped: Buffer;
      try {
        const wrappingKey = createPublicKey({ key: Buffer.from(params.PublicKey), format: 'der', type: 'spki' });
        wrapped = publicEncrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material.raw);
      } catch (err) {
        throw new InvalidRequest('keymgmt: AWS KMS returned a wrapping key that does not parse', { cause: err });
      }
      await send('ImportKeyMaterial', new ImportKeyMaterialCommand({
        KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }));
      const alias = aliasOf(ref);
      if (first) await send('CreateAlias', new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
      else await send('UpdateAlias', new UpdateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
      return keyId;
    },

    async setVersionEnabled(_ref, keyId, enabled) {
      if (enabled) await send('EnableKey', new EnableKeyCommand({ KeyId: keyId }));
      else await send('DisableKey', new DisableKeyCommand({ KeyId: keyId }));
    },

    async remove(ref, keyIds) {
      await send('DeleteAlias', new DeleteAliasCommand({ AliasName: aliasOf(ref) })).catch((err) => {
        if (!hasCode(err, 'NotFoundException')) throw err;
      });
      for (const keyId of keyIds) {
        await send('ScheduleKeyDeletion', new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: PENDING_DELETION_DAYS })).catch((err) => {
          // Already pending deletion (an earlier removal that failed half-way) is fine.
          if (!hasCode(err, 'KMSInvalidStateException', 'NotFoundException')) throw err;
        });
      }
    },

    close() {
      client.destroy();
    },
  };
}
