/**
 * Reads a request body with the size limit enforced before and while buffering, on every
 * path (sealed and unauthenticated ones included).
 */
import type { IncomingMessage } from 'node:http';
import { InvalidRequest, PayloadTooLarge } from '../errors.js';

const EMPTY = Buffer.alloc(0);

/**
 * The (empty) body of a request that declares none: no length and not chunked (most GETs).
 * Nothing to read or wait for; undefined when there may be a body (use readBody).
 */
export function declaredEmptyBody(req: IncomingMessage): Buffer | undefined {
  if (Number(req.headers['content-length'] ?? 0) !== 0 || req.headers['transfer-encoding'] !== undefined) return undefined;
  req.resume();
  return EMPTY;
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new PayloadTooLarge('request body too large');
  const empty = declaredEmptyBody(req);
  if (empty) return empty;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PayloadTooLarge('request body too large');
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/** Parses a JSON object body; empty body → {}. Never echoes the input in the error. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new InvalidRequest('failed to parse JSON input: malformed JSON body');
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidRequest('failed to parse JSON input: the body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
