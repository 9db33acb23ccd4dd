/** sys/key-status rendering shared by `operator key-status` and `operator rotate`. */
import type { Client } from './client.js';
import { keyValueTable } from './format.js';

export interface KeyStatus { term: number; install_time: string; encryptions?: number }

export async function readKeyStatus(client: Client): Promise<KeyStatus> {
  const body = (await client.get('sys/key-status')).body as { data?: KeyStatus } & Partial<KeyStatus>;
  return body.data ?? (body as KeyStatus);
}

export function keyStatusTable(status: KeyStatus): string {
  const rows: Array<[string, string]> = [['Key Term', String(status.term)], ['Install Time', status.install_time]];
  if (status.encryptions !== undefined) rows.push(['Encryption Count', String(status.encryptions)]);
  return keyValueTable(rows);
}
