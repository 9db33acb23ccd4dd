/**
 * The API handler: `/v1/*` only. Raw sys endpoints answer bare JSON; everything else goes
 * through the core's request pipeline and comes back in Vault's envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ForwardToActive, InvalidRequest, NotFound, ServiceUnavailable, StorageError, UnsupportedOperation } from '../errors.js';
import type { Core } from '../core/core.js';
import type { IncomingRequest, Pipeline } from '../core/request/pipeline.js';
import { canonicalRequestPath } from '../core/policy/path.js';
import { declaredEmptyBody, readBody, parseJsonObject } from './body.js';
import { clientToken, toIncomingRequest } from './incoming.js';
import { FORWARDED_CERT_HEADER, verifiedForwardedCerts } from './forwarded-client-cert.js';
import { envelope, isEmpty } from './envelope.js';
import { sendEmpty, sendError, sendJson } from './respond.js';
import { sealRoutes } from './raw/seal.js';
import { healthRoutes } from './raw/health.js';
import type { RawRoutes, RawServices } from './raw/types.js';
import type { Forwarder } from './forward.js';
import { clientAddress } from './client-address.js';
import type { XForwardedForConfig } from '../config/types.js';

export interface ApiHandlerDeps {
  core: Core;
  pipeline: Pipeline;
  maxRequestSize: number;
  /** Trust X-Forwarded-For from a load balancer (first listener's settings). */
  xForwardedFor?: XForwardedForConfig;
  log: (message: string) => void;
  rawRoutes?: RawRoutes[];
  services?: RawServices;
  /** Listener's max_request_duration (default 90 s, as Vault). */
  maxRequestDurationSeconds?: number;
  /** HA: how a standby hands requests to the active node. */
  forwarder?: Forwarder;
  /** HA: the key standbys sign forwarded client certificates with (a forwarded chain is checked against it). */
  forwardingKey?: () => Promise<Buffer | undefined>;
  /** HA: which requests a standby may serve itself, once caught up with the active's writes. */
  standbyReads?: { route(operation: string, path: string): 'local' | 'forward' | 'local-only'; catchUp(): Promise<boolean> };
  onStandbyRequest?: (served: 'local' | 'forwarded') => void;
}

/** The query of a request that has none (never modified). */
const NO_QUERY = new URLSearchParams();

export function createApiHandler(deps: ApiHandlerDeps) {
  const raw: RawRoutes = Object.assign({}, sealRoutes, healthRoutes, ...(deps.rawRoutes ?? []));

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    // The path as sent: URL parsing would resolve `..` segments before we could refuse them.
    const query = target.indexOf('?');
    const rawPath = query === -1 ? target : target.slice(0, query);
    if (!rawPath.startsWith('/v1/')) throw new NotFound('');
    const path = canonicalRequestPath(rawPath.slice(4));
    let bodyBuffer: Buffer | undefined;
    const body = async (): Promise<Buffer> => (bodyBuffer ??= await readBody(req, deps.maxRequestSize));

    const rawRoute = raw[path.endsWith('/') ? path.slice(0, -1) : path];
    // Most requests carry no query string: no URL is parsed for them.
    const url = rawRoute || query !== -1 ? new URL(target, 'http://arca.invalid') : undefined;
    const params = url ? url.searchParams : NO_QUERY;
    if (rawRoute) {
      const handler = rawRoute[req.method ?? 'GET'];
      if (!handler) {
        await body(); // drain within the limit
        throw new UnsupportedOperation();
      }
      await handler({
        req, res, url: url!, core: deps.core, clientToken: clientToken(req), services: deps.services ?? {},
        body: async () => parseJsonObject(await body()),
      });
      return;
    }

    if (deps.core.standby && deps.forwarder) {
      if (await serveOnStandby(req, res, params, path, await body())) {
        deps.onStandbyRequest?.('local');
        return;
      }
      deps.onStandbyRequest?.('forwarded');
      await deps.forwarder.forward(req, res, path, await body());
      return;
    }
    const requestBody = declaredEmptyBody(req) ?? await body();
    const forwardedChain = req.headers[FORWARDED_CERT_HEADER] !== undefined && deps.forwardingKey
      ? verifiedForwardedCerts(await deps.forwardingKey(), req)
      : undefined;
    await answer(res, toIncomingRequest(req, params, path, requestBody, clientAddress(req, deps.xForwardedFor), forwardedChain));
  }

  /**
   * A standby answers KV reads and token lookups itself once it has caught up with the active.
   * False: the active must answer (not a local read, or it turned out to need a write — the
   * storage refuses a standby's writes, so a local attempt changes nothing).
   */
  async function serveOnStandby(req: IncomingMessage, res: ServerResponse, params: URLSearchParams, path: string, body: Buffer): Promise<boolean> {
    const reads = deps.standbyReads;
    if (!reads) return false;
    let incoming: IncomingRequest;
    try {
      incoming = toIncomingRequest(req, params, path, body, clientAddress(req, deps.xForwardedFor));
    } catch {
      return false; // the active gives the error
    }
    const route = reads.route(incoming.operation, incoming.path);
    if (route === 'local-only') throw new InvalidRequest('cannot forward local-only request');
    if (route === 'forward' || !(await reads.catchUp())) return false;
    try {
      await answer(res, incoming, { standbyRead: true });
      return true;
    } catch (err) {
      if (err instanceof ForwardToActive || err instanceof StorageError) return false;
      throw err;
    }
  }

  async function answer(res: ServerResponse, incoming: IncomingRequest, options: { standbyRead?: boolean } = {}): Promise<void> {
    const response = await deps.pipeline.handle(incoming, options);
    if (response.raw) {
      res.writeHead(response.raw.status, { 'Content-Type': response.raw.contentType, 'Cache-Control': 'no-store' });
      res.end(response.raw.body);
      return;
    }
    const readLike = incoming.operation === 'read' || incoming.operation === 'list' || incoming.operation === 'header';
    const emptyList = incoming.operation === 'list' && Array.isArray(response.data?.keys) && response.data.keys.length === 0;
    if ((readLike && isEmpty(response)) || emptyList) throw new NotFound('');
    if (isEmpty(response)) {
      sendEmpty(res, response.statusCode ?? 204);
      return;
    }
    const status = response.statusCode ?? 200;
    if (incoming.operation === 'header') {
      sendEmpty(res, status);
      return;
    }
    sendJson(res, status, envelope(incoming.id, incoming.path, response));
  }

  const deadlineMs = (deps.maxRequestDurationSeconds ?? 90) * 1000;
  return (req: IncomingMessage, res: ServerResponse): void => {
    // max_request_duration bounds the whole request, handling included: past it the client gets
    // an error instead of waiting; work already started finishes in the background.
    const deadline = setTimeout(() => {
      if (!res.headersSent) sendError(res, new ServiceUnavailable('request exceeded max_request_duration'), deps.log);
    }, deadlineMs);
    deadline.unref();
    res.once('close', () => clearTimeout(deadline));
    serve(req, res).catch((err: unknown) => {
      sendError(res, err, deps.log);
      // A body we refused to read must not keep the socket busy.
      if (!req.complete) req.resume();
    });
  };
}
