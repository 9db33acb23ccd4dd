/**
 * Raw (non-envelope) sys endpoints: they answer bare JSON objects and most work while sealed.
 * Each module exports a table of path → handler; server.ts merges them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../../core/core.js';

export interface RawContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  core: Core;
  /** The parsed JSON body (size limit already applied). */
  body: () => Promise<Record<string, unknown>>;
  /** The caller's token, resolved by the pipeline's rules (for authenticated raw endpoints). */
  clientToken: string;
  /** Extras the server wires in (HA status etc.). */
  services: RawServices;
}

export interface RawServices {
  leader?: () => Promise<Record<string, unknown>>;
  standby?: () => boolean;
}

export type RawHandler = (ctx: RawContext) => Promise<void>;

export type RawRoutes = Record<string, Partial<Record<string, RawHandler>>>;
