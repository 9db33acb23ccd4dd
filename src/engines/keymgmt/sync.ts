/**
 * Bringing a provider up to date with a key: import every version it lacks (oldest first, so
 * the newest ends as the provider's current version), then enable or disable versions to match
 * min_enabled_version. Progress is stored after each provider call, so a failure part-way
 * leaves an exact record and a retry continues where it stopped.
 */
import { InvalidRequest, UpstreamError } from '../../errors.js';
import type { KeymgmtDeps } from './deps.js';
import { generateMaterial } from './key-material.js';
import { keyTypeSpec } from './key-types.js';
import type { Distribution, KmsProviderConfig, ManagedKey } from './records.js';
import type { DistributedKeyRef } from './providers/types.js';

export const versionEnabled = (key: Pick<ManagedKey, 'minEnabledVersion'>, version: number): boolean =>
  key.minEnabledVersion === 0 || version >= key.minEnabledVersion;

export function refOf(key: ManagedKey, dist: Distribution): DistributedKeyRef {
  return { name: dist.name, spec: keyTypeSpec(key.type), purpose: dist.purpose, protection: dist.protection };
}

export async function syncDistribution(deps: KeymgmtDeps, provider: KmsProviderConfig, key: ManagedKey, dist: Distribution): Promise<void> {
  const client = await deps.openClient(provider);
  try {
    const ref = refOf(key, dist);
    for (const [n, version] of [...key.versions].sort((a, b) => a[0] - b[0])) {
      if (dist.versions.has(n)) continue;
      const id = await client.importVersion(ref, n, version.material, dist.versions.size === 0);
      dist.versions.set(n, { id, enabled: true });
      await deps.store.putDistribution(dist);
    }
    for (const [n, version] of [...dist.versions].sort((a, b) => a[0] - b[0])) {
      const want = versionEnabled(key, n);
      if (version.enabled === want) continue;
      await client.setVersionEnabled(ref, version.id, want);
      version.enabled = want;
      await deps.store.putDistribution(dist);
    }
  } finally {
    client.close();
  }
}

/** Syncs every provider the key is distributed to; names the first that failed. */
export async function syncAllDistributions(deps: KeymgmtDeps, key: ManagedKey, done: string): Promise<void> {
  for (const kms of await deps.store.providersOfKey(key.name)) {
    const provider = await deps.store.getProvider(kms);
    const dist = await deps.store.getDistribution(kms, key.name);
    if (!provider || !dist) continue;
    try {
      await syncDistribution(deps, provider, key, dist);
    } catch (err) {
      const reason = err instanceof Error ? err.message : 'unknown error';
      const message = `${done}, but updating kms "${kms}" failed: ${reason}; write kms/${kms}/key/${key.name} again to retry`;
      throw err instanceof InvalidRequest ? new InvalidRequest(message, { cause: err }) : new UpstreamError(message, { cause: err });
    }
  }
}

/** A new version in Arca, then imported wherever the key is distributed. Run inside `exclusive`. */
export async function rotateKey(deps: KeymgmtDeps, name: string): Promise<void> {
  const key = await deps.store.getKey(name);
  if (!key) throw new InvalidRequest(`key "${name}" not found`);
  const version = key.latestVersion + 1;
  key.versions.set(version, { material: await generateMaterial(keyTypeSpec(key.type), deps.random), created: deps.now() });
  key.latestVersion = version;
  await deps.store.putKey(key);
  await syncAllDistributions(deps, key, `key "${name}" rotated to version ${version}`);
}
