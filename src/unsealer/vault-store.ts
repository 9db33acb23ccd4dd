/**
 * `--mode=vault`: keys in a KV version 2 engine of another Vault or Arca, as Bank-Vaults stores
 * them: secret `<unseal-keys-path>/<key>` holds one field named after the key whose value is
 * the base64 of the bytes. `--vault-unseal-keys-path` may name the logical path
 * (`secret/unseal-keys`) or Bank-Vaults' API path (`secret/data/unseal-keys`).
 * New keys are written with `cas: 0`, so the server itself refuses to replace one that exists.
 */
import { ApiError, createClient, TransportError, type Client } from '../cli/client.js';
import { kvPreflight } from '../cli/kv-paths.js';
import { KeyExistsError, KeyStoreError, type KeyStore } from './key-store.js';
import type { VaultStoreOptions } from './options.js';

interface Paths { data: (key: string) => string; metadata: (key: string) => string }

function reason(err: unknown): string {
  if (err instanceof ApiError) return `code ${err.status}: ${err.errors.join('; ')}`;
  if (err instanceof TransportError) return err.message;
  return (err as Error)?.message ?? String(err);
}

async function resolvePaths(client: Client, path: string): Promise<Paths> {
  const { mountPath, version } = await kvPreflight(client, path);
  if (version !== 2 || mountPath === '') throw new KeyStoreError(`vault store: ${path} is not on a KV version 2 mount`);
  let rest = path.slice(mountPath.length).replace(/^\/+/, '');
  if (rest === 'data' || rest.startsWith('data/')) rest = rest.slice(5);
  const under = rest === '' ? '' : `${rest}/`;
  return {
    data: (key) => `${mountPath}data/${under}${key}`,
    metadata: (key) => `${mountPath}metadata/${under}${key}`,
  };
}

export function openVaultStore(options: VaultStoreOptions): KeyStore {
  const config: Parameters<typeof createClient>[0] = { address: options.address, token: options.token, skipVerify: options.skipVerify };
  if (options.caCertFile) config.caCertFile = options.caCertFile;
  const client = createClient(config);
  const where = `${client.address} under ${options.unsealKeysPath}`;
  let paths: Paths | undefined;
  const resolved = async (): Promise<Paths> => {
    try {
      paths ??= await resolvePaths(client, options.unsealKeysPath);
      return paths;
    } catch (err) {
      if (err instanceof KeyStoreError) throw err;
      throw new KeyStoreError(`vault store: cannot reach ${client.address}: ${reason(err)}`);
    }
  };

  return {
    description: `vault store ${where}`,
    async get(name) {
      const { data } = await resolved();
      let body: any;
      try {
        const res = await client.get(data(name), { accept: [404] });
        if (res.status === 404) return undefined;
        body = res.body;
      } catch (err) {
        throw new KeyStoreError(`vault store: reading "${name}" from ${where} failed: ${reason(err)}`);
      }
      const value: unknown = body?.data?.data?.[name];
      if (typeof value !== 'string') throw new KeyStoreError(`vault store: the secret for "${name}" in ${where} has no field "${name}"`);
      return new Uint8Array(Buffer.from(value, 'base64'));
    },
    async create(name, value) {
      const { data } = await resolved();
      try {
        await client.put(data(name), { options: { cas: 0 }, data: { [name]: Buffer.from(value).toString('base64') } });
      } catch (err) {
        if (err instanceof ApiError && err.errors.some((e) => e.includes('check-and-set parameter did not match'))) throw new KeyExistsError(name, where);
        throw new KeyStoreError(`vault store: writing "${name}" to ${where} failed: ${reason(err)}`);
      }
    },
    async delete(name) {
      const { metadata } = await resolved();
      try {
        await client.delete(metadata(name), { accept: [404] });
      } catch (err) {
        throw new KeyStoreError(`vault store: deleting "${name}" from ${where} failed: ${reason(err)}`);
      }
    },
    async close() { client.setToken(undefined); },
  };
}
