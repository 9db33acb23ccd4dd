/**
 * In-flight requests for sys/in-flight-req: `wrap` puts a tracker around the server's request
 * handler; each request is listed from arrival until its response is finished or its connection
 * closes. Only the method, the path without its query string, the peer address and the start time
 * are kept: never headers, tokens or bodies.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InFlightRequest } from '../core/sys/in-flight.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createInFlightTracker(deps: { now?: () => Date; id?: () => string } = {}) {
  const now = deps.now ?? (() => new Date());
  const newId = deps.id ?? randomUUID;
  /** Kept raw: every request passes through here, so formatting waits for a snapshot. */
  const current = new Map<IncomingMessage, { start: Date; id?: string }>();
  return {
    wrap(handler: RequestHandler): RequestHandler {
      return (req, res) => {
        current.set(req, { start: now() });
        res.once('close', () => current.delete(req));
        handler(req, res);
      };
    },
    snapshot(): Record<string, InFlightRequest> {
      const out: Record<string, InFlightRequest> = {};
      for (const [req, entry] of current) {
        const remote = req.socket.remoteAddress ?? '';
        entry.id ??= newId(); // stable across snapshots, made only when someone looks
        out[entry.id] = {
          start_time: entry.start.toISOString(),
          client_remote_address: req.socket.remotePort !== undefined ? `${remote}:${req.socket.remotePort}` : remote,
          request_path: (req.url ?? '').split('?')[0],
          request_method: req.method ?? '',
          client_id: '',
        };
      }
      return out;
    },
  };
}

export type InFlightTracker = ReturnType<typeof createInFlightTracker>;
