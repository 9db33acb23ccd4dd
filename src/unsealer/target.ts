/** The server being initialised and unsealed: the unauthenticated sys/ calls the unsealer makes. */
import { ApiError, TransportError, type Client } from '../cli/client.js';
import type { SealStatus } from '../cli/seal-status.js';

export type { SealStatus };

export interface InitResponse {
  keys?: string[];
  recovery_keys?: string[];
  root_token: string;
}

export function sealStatus(client: Client): Promise<SealStatus> {
  return client.get('sys/seal-status').then((res) => res.body as SealStatus);
}

/** One line saying why a request to a server failed (never a request body). */
export function failureReason(err: unknown): string {
  if (err instanceof ApiError) return `${err.method} ${err.url}: code ${err.status}: ${err.errors.join('; ')}`;
  if (err instanceof TransportError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

export function unreachable(err: unknown): boolean {
  return err instanceof TransportError || (err instanceof ApiError && (err.status === 502 || err.status === 503 || err.status === 504) && !err.errors.some((e) => /sealed/i.test(e)));
}
