/**
 * kms/:name/key/ path group: distribute a key to a provider (import every version), read where
 * it went, list, remove it from the provider, and rotate it from the provider's side.
 */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { KeymgmtDeps } from './deps.js';
import { PROTECTIONS, PURPOSES, type Protection, type Purpose } from './key-types.js';
import { providerSpec } from './providers/index.js';
import type { Distribution } from './records.js';
import { refOf, rotateKey, syncDistribution } from './sync.js';

const names = { name: { type: 'string', required: true, description: 'Name of the KMS provider.' }, key_name: { type: 'string', required: true, description: 'Name of the key.' } } as const;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
}

export function describeDistribution(d: Distribution): Record<string, unknown> {
  const versions: Record<string, string> = {};
  for (const [n, v] of [...d.versions].sort((a, b) => a[0] - b[0])) versions[String(n)] = v.id;
  return { name: d.name, purpose: d.purpose.join(','), protection: d.protection, versions };
}

export function distributionPaths(deps: KeymgmtDeps) {
  const { store } = deps;

  async function load(kms: string, keyName: string) {
    const provider = await store.getProvider(kms);
    if (!provider) throw new InvalidRequest(`KMS provider "${kms}" not found`);
    const key = await store.getKey(keyName);
    if (!key) throw new InvalidRequest(`key "${keyName}" not found`);
    return { provider, key };
  }

  return [
    path({
      pattern: 'kms/:name/key/',
      fields: { name: names.name },
      operations: {
        async list(_req, d) {
          return { data: { keys: await store.listDistributedKeys(d.name) } };
        },
      },
      synopsis: 'List the keys distributed to a KMS provider.',
    }),
    path({
      pattern: 'kms/:name/key/:key_name',
      fields: {
        ...names,
        purpose: { type: 'commaStringList', description: `What the key may do in the provider: ${PURPOSES.join(', ')}.` },
        protection: { type: 'string', default: 'hsm', oneOf: PROTECTIONS, description: 'Where the provider performs operations: hsm or software.' },
      },
      existenceCheck: async (_req, d) => (await store.getDistribution(d.name, d.key_name)) !== undefined,
      operations: {
        async update(_req, d) {
          await store.exclusive(async () => {
            const { provider, key } = await load(d.name, d.key_name);
            const spec = providerSpec(provider.provider);
            const purpose = [...new Set(d.purpose ?? [])];
            if (purpose.length === 0) throw new InvalidRequest('missing purpose: at least one of ' + PURPOSES.join(', '));
            for (const p of purpose) if (!PURPOSES.includes(p as Purpose)) throw new InvalidRequest(`unknown purpose "${p}"; supported: ${PURPOSES.join(', ')}`);
            const allowed = spec.keyTypes[key.type];
            if (!allowed) throw new InvalidRequest(`${provider.provider} does not accept ${key.type} keys; it accepts ${Object.keys(spec.keyTypes).join(', ')}`);
            for (const p of purpose) if (!allowed.includes(p as Purpose)) throw new InvalidRequest(`${provider.provider} supports only the purposes ${allowed.join(', ')} for ${key.type} keys`);
            spec.checkPurpose?.(key.type, purpose as Purpose[]);
            const protection = d.protection as Protection;
            if (!spec.protections.includes(protection)) throw new InvalidRequest(`${provider.provider} supports only protection ${spec.protections.join(', ')}`);

            let dist = await store.getDistribution(d.name, d.key_name);
            if (dist && (!sameList(dist.purpose, purpose) || dist.protection !== protection)) {
              throw new InvalidRequest('the key is already distributed to this KMS provider; purpose and protection cannot be changed');
            }
            const fresh = !dist;
            if (!dist) {
              const created = deps.now();
              const name = `${key.name}-${Math.floor(created.getTime() / 1000)}`;
              if (!spec.namePattern.test(name)) throw new InvalidRequest(`the key name "${key.name}" is not a valid key name in ${spec.service}`);
              dist = { kms: d.name, key: key.name, name, purpose: purpose as Purpose[], protection, created, versions: new Map() };
              await store.putDistribution(dist);
            }
            try {
              await syncDistribution(deps, provider, key, dist);
            } catch (err) {
              // No version was imported: forget the distribution, so a retry starts afresh under a
              // new name (a key object the provider made before failing stays there, unused).
              if (fresh && dist.versions.size === 0) await store.deleteDistribution(d.name, d.key_name);
              throw err;
            }
          });
        },
        async read(_req, d) {
          const dist = await store.getDistribution(d.name, d.key_name);
          if (dist) return { data: describeDistribution(dist) };
        },
        async delete(_req, d) {
          await store.exclusive(async () => {
            const dist = await store.getDistribution(d.name, d.key_name);
            if (!dist) return;
            const provider = await store.getProvider(d.name);
            const key = await store.getKey(d.key_name);
            if (provider && key && dist.versions.size > 0) {
              const client = await deps.openClient(provider);
              try {
                await client.remove(refOf(key, dist), [...dist.versions.values()].map((v) => v.id));
              } finally {
                client.close();
              }
            }
            await store.deleteDistribution(d.name, d.key_name);
          });
        },
      },
      synopsis: 'Distribute a key to a KMS provider, read or remove it there.',
    }),
    path({
      pattern: 'kms/:name/key/:key_name/rotate',
      fields: names,
      operations: {
        async update(_req, d) {
          // The same rotation as key/:name/rotate: a new version, imported wherever the key is.
          await store.exclusive(async () => {
            if (!(await store.getDistribution(d.name, d.key_name))) throw new InvalidRequest(`key "${d.key_name}" is not distributed to KMS provider "${d.name}"`);
            await rotateKey(deps, d.key_name);
          });
        },
      },
      synopsis: 'Rotate a distributed key: a new version in Arca, imported into the provider.',
    }),
  ];
}
