/**
 * An AWS STS stand-in for tests (the real sts.amazonaws.com cannot be reached from here): the
 * Query-protocol GetCallerIdentity call (POST /, form body Action=GetCallerIdentity&
 * Version=2011-06-15), answered with STS's XML, after verifying the request's SigV4 signature
 * as the AWS documentation describes it — canonical request, string to sign, the
 * HMAC-SHA256 key derivation (AWS4+secret → date → region → "sts" → "aws4_request") — with
 * real HMACs, a 15-minute X-Amz-Date window ("Signature expired"), and errors as STS's
 * <ErrorResponse> XML. Listens on 127.0.0.1:0.
 *
 * `signGetCallerIdentity` is the client side: it signs the request the way the AWS SDK does
 * (@smithy/signature-v4) and encodes it as Vault's login fields.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';

export interface StandinPrincipal {
  secretAccessKey: string;
  sessionToken?: string;
  /** Returned verbatim inside <Arn> (tests use it to send malformed ARNs). */
  arn: string;
  userId: string;
  account: string;
}

class StsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 403) { super(message); }
}

const MAX_SKEW_MS = 15 * 60 * 1000;

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

export async function startAwsStsStandin(options: { region?: string; now?: () => number } = {}) {
  const region = options.region ?? 'us-east-1';
  const now = options.now ?? Date.now;
  const principals = new Map<string, StandinPrincipal>();
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];

  function verify(req: IncomingMessage, body: Buffer): StandinPrincipal {
    const auth = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
    if (!auth) throw new StsError('IncompleteSignature', 'Authorization header requires a valid AWS4-HMAC-SHA256 signature', 400);
    const [, keyId, scopeDate, scopeRegion, service, signedList, signature] = auth;
    const principal = principals.get(keyId);
    if (!principal) throw new StsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
    if (service !== 'sts' || scopeRegion !== region) throw new StsError('SignatureDoesNotMatch', `Credential should be scoped to a valid region and service 'sts'.`);
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const at = parseAmzDate(amzDate);
    if (at === undefined || amzDate.slice(0, 8) !== scopeDate) throw new StsError('IncompleteSignature', 'X-Amz-Date is missing or does not match the credential scope', 400);
    if (Math.abs(now() - at) > MAX_SKEW_MS) throw new StsError('SignatureDoesNotMatch', `Signature expired: ${amzDate} is now earlier than the allowed window (15 min)`);
    const signed = signedList.split(';');
    if (!signed.includes('host') || !signed.includes('x-amz-date')) throw new StsError('SignatureDoesNotMatch', 'host and x-amz-date must be signed');
    if (principal.sessionToken !== undefined) {
      if (req.headers['x-amz-security-token'] !== principal.sessionToken) throw new StsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
    }
    const url = new URL(req.url ?? '/', 'http://standin');
    const query = [...url.searchParams].map(([k, v]) => [rfc3986(k), rfc3986(v)]).sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
    const headerLines = signed.map((name) => {
      const raw = req.headers[name];
      if (raw === undefined) throw new StsError('SignatureDoesNotMatch', `signed header ${name} is missing`);
      const value = (Array.isArray(raw) ? raw.join(',') : raw).trim().replace(/\s+/g, ' ');
      return `${name}:${value}\n`;
    }).join('');
    const payloadHash = sha256hex(body);
    const declared = req.headers['x-amz-content-sha256'];
    if (declared !== undefined && declared !== payloadHash) throw new StsError('SignatureDoesNotMatch', 'x-amz-content-sha256 does not match the payload');
    const canonical = [req.method, url.pathname, query, headerLines, signedList, payloadHash].join('\n');
    const scope = `${scopeDate}/${region}/sts/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonical)].join('\n');
    const kSigning = hmac(hmac(hmac(hmac(`AWS4${principal.secretAccessKey}`, scopeDate), region), 'sts'), 'aws4_request');
    const expected = createHmac('sha256', kSigning).update(toSign, 'utf8').digest();
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new StsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
    }
    return principal;
  }

  function respond(res: ServerResponse, status: number, xml: string) {
    res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml), 'x-amzn-RequestId': randomUUID() });
    res.end(xml);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ headers: req.headers, body: body.toString('utf8') });
      try {
        if (req.method !== 'POST') throw new StsError('InvalidAction', 'only POST is served by this stand-in', 400);
        const principal = verify(req, body);
        const params = new URLSearchParams(body.toString('utf8'));
        if (params.get('Action') !== 'GetCallerIdentity') throw new StsError('InvalidAction', 'Could not find operation', 400);
        if (params.get('Version') !== '2011-06-15') throw new StsError('InvalidAction', 'Could not find operation for version', 400);
        respond(res, 200, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${principal.arn}</Arn>
    <UserId>${principal.userId}</UserId>
    <Account>${principal.account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`);
      } catch (err) {
        const e = err instanceof StsError ? err : new StsError('InternalFailure', 'internal error', 500);
        respond(res, e.status, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>${e.code}</Code>
    <Message>${e.message}</Message>
  </Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>
`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    received,
    addPrincipal(accessKeyId: string, principal: StandinPrincipal) { principals.set(accessKeyId, principal); },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** node:crypto SHA-256 in the shape the smithy signer expects (HMAC when given a secret). */
class NodeSha256 {
  private hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  async digest(): Promise<Uint8Array> { return new Uint8Array(this.hash.digest()); }
  reset(): void { throw new Error('reset not supported'); }
}

export interface AwsCredentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** Vault's iam login fields for a GetCallerIdentity request signed like the AWS SDK signs it. */
export async function signGetCallerIdentity(opts: {
  endpoint: string; region: string; credentials: AwsCredentials; serverId?: string; signingDate?: Date; body?: string;
}): Promise<{ iam_http_request_method: string; iam_request_url: string; iam_request_body: string; iam_request_headers: string }> {
  const url = new URL(opts.endpoint);
  const body = opts.body ?? 'Action=GetCallerIdentity&Version=2011-06-15';
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    ...(opts.serverId !== undefined ? { 'x-vault-aws-iam-server-id': opts.serverId } : {}),
  };
  const signer = new SignatureV4({ service: 'sts', region: opts.region, credentials: opts.credentials, sha256: NodeSha256 as any, applyChecksum: false });
  const signed = await signer.sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined,
    path: url.pathname, query: {}, headers, body,
  }, { signingDate: opts.signingDate });
  const header: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(signed.headers)) header[k] = [String(v)];
  return {
    iam_http_request_method: 'POST',
    iam_request_url: Buffer.from(url.href).toString('base64'),
    iam_request_body: Buffer.from(body).toString('base64'),
    iam_request_headers: Buffer.from(JSON.stringify(header)).toString('base64'),
  };
}
