/**
 * The `file` audit device: appends lines to `file_path` (created with `mode`, default 0600;
 * "0000" leaves the mode alone), or writes to `stdout`, or `discard`s them. Writes are batched
 * (see batch.ts). A failed write reopens the file and tries once more, as Vault does;
 * `reopen()` (SIGHUP) lets logrotate move the file away.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { InvalidRequest } from '../../../errors.js';
import { createBatcher } from './batch.js';
import type { AuditDevice } from './types.js';

function parseMode(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return 0o600;
  if (!/^[0-7]{1,4}$/.test(raw)) throw new InvalidRequest('file audit device: mode must be an octal number such as "0600"');
  const mode = parseInt(raw, 8);
  return mode === 0 ? undefined : mode;
}

export async function createFileDevice(options: Record<string, string>): Promise<AuditDevice> {
  const filePath = options.file_path ?? options.path;
  if (!filePath) throw new InvalidRequest('file audit device: file_path is required');
  if (filePath === 'discard') {
    return { write: async () => {}, reopen: async () => {}, close: async () => {} };
  }
  if (filePath === 'stdout') {
    const batch = createBatcher((lines) => new Promise<void>((resolve, reject) => {
      process.stdout.write(lines.join(''), (err) => (err ? reject(err) : resolve()));
    }));
    return { write: (line) => batch.push(line), reopen: async () => {}, close: async () => {} };
  }
  const mode = parseMode(options.mode);
  let handle: FileHandle | undefined;
  let closed = false;

  async function openFile(): Promise<FileHandle> {
    const fh = await open(filePath, 'a', mode ?? 0o600);
    // Only regular files: never change the mode of a device node such as /dev/null.
    if (mode !== undefined && (await fh.stat()).isFile()) await fh.chmod(mode).catch(() => {});
    return fh;
  }

  async function reopen(): Promise<void> {
    const old = handle;
    handle = undefined;
    await old?.close().catch(() => {});
    if (!closed) handle = await openFile();
  }

  const batch = createBatcher(async (lines) => {
    const chunk = lines.join('');
    try {
      handle ??= await openFile();
      await handle.write(chunk);
    } catch {
      await reopen();
      await handle!.write(chunk);
    }
  });

  try {
    handle = await openFile();
    await handle.write('');
  } catch (err) {
    throw new InvalidRequest(`file audit device: cannot open the audit file for writing (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }

  return {
    write: (line) => (closed ? Promise.reject(new Error('audit device closed')) : batch.push(line)),
    reopen,
    async close() {
      closed = true;
      await handle?.close().catch(() => {});
      handle = undefined;
    },
  };
}
