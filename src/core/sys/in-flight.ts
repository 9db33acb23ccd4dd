/**
 * GET sys/in-flight-req: the requests the server is handling right now, keyed by a tracker id,
 * as a bare JSON object (Vault answers it outside the response envelope). Empty group when the
 * server was composed without a tracker (src/server/in-flight.ts).
 */
import { path } from '../../framework/path.js';
import type { SysContext } from './context.js';

/** One entry of the answer, under Vault's key names. */
export interface InFlightRequest {
  start_time: string;
  client_remote_address: string;
  request_path: string;
  request_method: string;
  client_id: string;
}

export function inFlightPaths(ctx: SysContext) {
  const tracker = ctx.inFlight;
  if (!tracker) return { paths: [] };
  return {
    paths: [
      path({
        pattern: 'in-flight-req',
        synopsis: 'The requests being handled right now.',
        operations: {
          read: async () => ({ raw: { status: 200, contentType: 'application/json', body: JSON.stringify(tracker.snapshot()) } }),
        },
      }),
    ],
  };
}
