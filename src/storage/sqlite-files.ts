/**
 * The files of an SQLite store and their permissions: the database and its -wal/-shm files are
 * readable by the owner only (0600) and a data directory Arca creates is 0700, whatever the
 * process umask. Modes are set with chmod after creation, which the umask does not affect.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** The database file and the two files SQLite keeps beside it in WAL mode. */
export function sqliteFiles(path: string): [db: string, wal: string, shm: string] {
  return [path, `${path}-wal`, `${path}-shm`];
}

/**
 * Creates the parent directory (0700, every level Arca creates) and the database file (0600)
 * before SQLite opens it. An existing directory keeps its mode: it may be shared, like /tmp.
 */
export function prepareDatabaseFile(path: string): void {
  const dir = dirname(resolve(path));
  const first = mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (first !== undefined) {
    let current = first;
    chmodSync(current, DIR_MODE);
    for (const part of relative(first, dir).split(sep).filter((p) => p !== '')) {
      current = join(current, part);
      chmodSync(current, DIR_MODE);
    }
  }
  closeSync(openSync(path, 'a', FILE_MODE));
  chmodSync(path, FILE_MODE);
}

/** Tightens whichever of the database's files exist now. SQLite gives new -wal/-shm files the database's mode. */
export function restrictDatabaseFiles(path: string): void {
  for (const file of sqliteFiles(path)) if (existsSync(file)) chmodSync(file, FILE_MODE);
}
