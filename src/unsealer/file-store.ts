/**
 * `--mode=file`: one file per key in a directory (Bank-Vaults' layout: the file name is the
 * key name, the content the value). The directory is created 0700 and files 0600. A new key is
 * written to a temporary file, fsynced and then hard-linked into place, so a key file is
 * either complete or absent and an existing one is never replaced.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, constants } from 'node:fs';
import { join } from 'node:path';
import { KeyExistsError, KeyStoreError, type KeyStore } from './key-store.js';

const NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new KeyStoreError(`key store: invalid key name "${name}"`);
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, constants.O_RDONLY).catch(() => undefined);
  if (!handle) return;
  try { await handle.sync(); } catch { /* some file systems cannot fsync a directory */ } finally { await handle.close(); }
}

export async function openFileStore(dir: string, warn: (message: string) => void): Promise<KeyStore> {
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new KeyStoreError(`key store: --file-path ${dir} is not a directory`);
    if ((stat.mode & 0o077) !== 0) {
      warn(`key store directory ${dir} is accessible to group or others (mode ${(stat.mode & 0o777).toString(8)}); chmod 700 it`);
    }
  } catch (err) {
    if (err instanceof KeyStoreError) throw err;
    throw new KeyStoreError(`key store: cannot use directory ${dir}: ${code(err) ?? (err as Error).message}`);
  }
  const where = `directory ${dir}`;

  return {
    description: `file store in ${dir}`,
    async get(name) {
      checkName(name);
      try {
        return new Uint8Array(await fs.readFile(join(dir, name)));
      } catch (err) {
        if (code(err) === 'ENOENT') return undefined;
        throw new KeyStoreError(`key store: cannot read "${name}" in ${where}: ${code(err) ?? 'error'}`);
      }
    },
    async create(name, value) {
      checkName(name);
      const target = join(dir, name);
      const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        const handle = await fs.open(temp, 'wx', 0o600);
        try {
          await handle.writeFile(value);
          await handle.sync();
        } finally {
          await handle.close();
        }
        try {
          await fs.link(temp, target);
        } catch (err) {
          if (code(err) === 'EEXIST') throw new KeyExistsError(name, where);
          if (code(err) !== 'EPERM' && code(err) !== 'ENOTSUP' && code(err) !== 'EOPNOTSUPP') throw err;
          // No hard links here: exclusive create of the final name instead.
          const direct = await fs.open(target, 'wx', 0o600).catch((e: unknown) => {
            throw code(e) === 'EEXIST' ? new KeyExistsError(name, where) : e;
          });
          try { await direct.writeFile(value); await direct.sync(); } finally { await direct.close(); }
        }
        await fsyncDir(dir);
      } catch (err) {
        if (err instanceof KeyStoreError) throw err;
        throw new KeyStoreError(`key store: cannot write "${name}" in ${where}: ${code(err) ?? 'error'}`);
      } finally {
        await fs.unlink(temp).catch(() => undefined);
      }
    },
    async delete(name) {
      checkName(name);
      try {
        await fs.unlink(join(dir, name));
        await fsyncDir(dir);
      } catch (err) {
        if (code(err) === 'ENOENT') return;
        throw new KeyStoreError(`key store: cannot delete "${name}" in ${where}: ${code(err) ?? 'error'}`);
      }
    },
    async close() { /* nothing held open */ },
  };
}
