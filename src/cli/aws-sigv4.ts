/**
 * The signed `sts:GetCallerIdentity` request that `arca login -method=aws` sends, as Vault's
 * CLI builds it: AWS Signature Version 4 (HMAC-SHA256 from node:crypto) over a POST to STS,
 * encoded into the iam_* login fields. The server forwards it to STS, which checks it.
 */
import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** `20261124T180000Z` and `20261124` for a date. */
function amzDates(now: Date): { stamp: string; day: string } {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { stamp, day: stamp.slice(0, 8) };
}

export function signedCallerIdentityLogin(opts: {
  endpoint: string; region: string; credentials: AwsCredentials; serverId?: string; now?: Date;
}): Record<string, string> {
  const url = new URL(opts.endpoint);
  const { stamp, day } = amzDates(opts.now ?? new Date());
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    host: url.host,
    'x-amz-date': stamp,
  };
  if (opts.credentials.sessionToken) headers['x-amz-security-token'] = opts.credentials.sessionToken;
  if (opts.serverId) headers['x-vault-aws-iam-server-id'] = opts.serverId;
  const names = Object.keys(headers).sort();
  const canonical = ['POST', url.pathname || '/', '', ...names.map((n) => `${n}:${headers[n].trim()}`), '', names.join(';'), sha256(BODY)].join('\n');
  const scope = `${day}/${opts.region}/sts/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${opts.credentials.secretAccessKey}`, day);
  for (const part of [opts.region, 'sts', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${opts.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  const asHeader = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return {
    iam_http_request_method: 'POST',
    iam_request_url: b64(url.href),
    iam_request_body: b64(BODY),
    iam_request_headers: b64(JSON.stringify(asHeader)),
  };
}
