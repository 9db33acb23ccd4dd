/**
 * What the engine needs from a KMS provider: import one key version (bring your own key),
 * enable/disable a version, and remove a distributed key. Each provider lives in its own
 * module, loaded (with its cloud SDK) only when a provider of that kind is used.
 */
import type { Material } from '../key-material.js';
import type { KeyTypeSpec, Protection, Purpose } from '../key-types.js';

export interface DistributedKeyRef {
  /** The key's name in the provider (`<key>-<unix time>`). */
  name: string;
  spec: KeyTypeSpec;
  purpose: readonly Purpose[];
  protection: Protection;
}

export interface KmsClient {
  /**
   * Imports one version and makes it the key's current version in the provider. Returns the
   * provider's id for that version (AWS: the KMS key id; Azure: the key version). `first` is
   * true for the first version imported under `ref.name`.
   */
  importVersion(ref: DistributedKeyRef, version: number, material: Material, first: boolean): Promise<string>;
  setVersionEnabled(ref: DistributedKeyRef, versionId: string, enabled: boolean): Promise<void>;
  /** Deletes the key (every version) from the provider. */
  remove(ref: DistributedKeyRef, versionIds: readonly string[]): Promise<void>;
  close(): void;
}

export interface ProviderSpec {
  readonly name: string;
  /** Service name for messages. */
  readonly service: string;
  /** Credential keys accepted in `credentials` (Vault's names plus Arca's additions). */
  readonly credentialKeys: readonly string[];
  /** Checks `key_collection` and `credentials`; throws InvalidRequest with the reason. */
  validate(keyCollection: string, credentials: Readonly<Record<string, string>>): void;
  /** Key types it accepts and the purposes/protections for each. */
  readonly keyTypes: Readonly<Record<string, readonly Purpose[]>>;
  /** Further rules on a purpose set (e.g. Cloud KMS: an RSA key signs or decrypts); throws InvalidRequest. */
  checkPurpose?(keyType: string, purpose: readonly Purpose[]): void;
  readonly protections: readonly Protection[];
  /** Name rule for the key in the provider. */
  readonly namePattern: RegExp;
  load(): Promise<(keyCollection: string, credentials: Readonly<Record<string, string>>) => KmsClient>;
}
