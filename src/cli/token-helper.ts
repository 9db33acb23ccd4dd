/** The token file: ~/.arca-token (written 0600); ~/.vault-token is honoured for reading. */
import { readFileSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_FILE = '.arca-token';
export const VAULT_TOKEN_FILE = '.vault-token';

export function readStoredToken(homeDir: string): string | undefined {
  for (const name of [TOKEN_FILE, VAULT_TOKEN_FILE]) {
    try {
      const token = readFileSync(join(homeDir, name), 'utf8').trim();
      if (token) return token;
    } catch {
      // absent: try the next file
    }
  }
  return undefined;
}

export function storeToken(homeDir: string, token: string): void {
  const file = join(homeDir, TOKEN_FILE);
  writeFileSync(file, token, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function eraseToken(homeDir: string): void {
  rmSync(join(homeDir, TOKEN_FILE), { force: true });
}
