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
  const current = new Map<string, InFlightRequest>();
  return {
    wrap(handler: RequestHandler): RequestHandler {
      return (req, res) => {
        const id = newId();
        const remote = req.socket.remoteAddress ?? '';
        current.set(id, {
          start_time: now().toISOString(),
          client_remote_address: req.socket.remotePort !== undefined ? `${remote}:${req.socket.remotePort}` : remote,
          request_path: (req.url ?? '').split('?')[0],
          request_method: req.method ?? '',
          client_id: '',
        });
        res.once('close', () => current.delete(id));
        handler(req, res);
      };
    },
    snapshot(): Record<string, InFlightRequest> {
      return Object.fromEntries([...current].map(([id, entry]) => [id, { ...entry }]));
    },
  };
}

export type InFlightTracker = ReturnType<typeof createInFlightTracker>;
