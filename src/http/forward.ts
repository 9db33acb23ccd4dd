/**
 * A standby's answer to API requests: proxy them to the active node (the default), or, when the
 * client sends `X-Vault-No-Request-Forwarding`, redirect it there with a 307 as Vault does.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { InvalidRequest, StandbyError, UpstreamError } from '../errors.js';
import { FORWARDED_CERT_HEADER, FORWARDED_CERT_MAC_HEADER, forwardedCertHeaders } from './forwarded-client-cert.js';
import { peerCertificates } from './peer-certificates.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'te', 'trailer']);
/** Never passed on from a client: only this node may vouch for a client certificate. */
const NOT_FROM_CLIENTS = new Set([...HOP_BY_HOP, FORWARDED_CERT_HEADER, FORWARDED_CERT_MAC_HEADER]);

export interface Forwarder {
  forward(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void>;
}

/** `forwardingKey`: signs the client's certificate chain for cert auth on the active node. */
export function createForwarder(activeAddress: () => Promise<string | undefined>, forwardingKey?: () => Promise<Buffer | undefined>): Forwarder {
  // Kept-alive connections to the active node: a new TCP connection per request would cost more than the request.
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 128 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 128 }) };
  return {
    async forward(req, res, path, body) {
      if (path === 'sys/seal') throw new InvalidRequest('vault cannot seal when in standby mode; please restart instead');
      const target = await activeAddress();
      if (!target) throw new StandbyError();
      const url = new URL(req.url ?? '/', target);
      if (req.headers['x-vault-no-request-forwarding'] !== undefined) {
        res.writeHead(307, { Location: url.toString(), 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !NOT_FROM_CLIENTS.has(name)) headers[name] = value;
      }
      const chain = peerCertificates(req.socket);
      const key = chain && (await forwardingKey?.());
      if (chain && key) Object.assign(headers, forwardedCertHeaders(key, req.method ?? 'GET', url.pathname + url.search, chain));
      headers['content-length'] = String(body.length);
      headers['x-forwarded-for'] = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      await new Promise<void>((resolve, reject) => {
        const agent = url.protocol === 'https:' ? agents.https : agents.http;
        const upstream = send(url, { method: req.method, headers, timeout: 60_000, agent }, (answer) => {
          const out: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(answer.headers)) {
            if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
          }
          res.writeHead(answer.statusCode ?? 502, out);
          answer.pipe(res);
          answer.on('end', resolve);
          answer.on('error', reject);
        });
        upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
        upstream.on('error', (err) => reject(new UpstreamError(`forwarding to the active node failed: ${err.message}`)));
        upstream.end(body);
      });
    },
  };
}
