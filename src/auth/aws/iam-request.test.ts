import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { checkIamRequest } from './iam-request.js';
import { parseCallerIdentity } from './sts.js';

const endpoint = new URL('https://sts.amazonaws.com');
const b64 = (s: string) => Buffer.from(s).toString('base64');
const AUTH = `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE000000001/20261124/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-vault-aws-iam-server-id, Signature=${'a'.repeat(64)}`;

function input(headers: Record<string, unknown> = {}, over: Record<string, unknown> = {}) {
  return {
    iam_http_request_method: 'POST',
    iam_request_url: b64('https://sts.amazonaws.com/'),
    iam_request_body: b64('Action=GetCallerIdentity&Version=2011-06-15'),
    iam_request_headers: b64(JSON.stringify({
      Host: ['sts.amazonaws.com'], 'Content-Type': ['application/x-www-form-urlencoded; charset=utf-8'],
      'X-Amz-Date': ['20261124T120000Z'], Authorization: [AUTH], 'X-Vault-AWS-IAM-Server-ID': ['arca'], ...headers,
    })),
    ...over,
  };
}

const rejects = (fn: () => unknown, message: RegExp) => assert.throws(fn, (e: unknown) => e instanceof InvalidRequest && message.test(e.message));

test('a well-formed request passes; forwarded headers name the configured host', () => {
  const checked = checkIamRequest(input(), endpoint, 'us-east-1', 'arca');
  assert.equal(checked.headers.get('host'), 'sts.amazonaws.com');
  assert.equal(checked.accessKeyId, 'AKIAEXAMPLE000000001');
  assert.equal(checked.body.toString(), 'Action=GetCallerIdentity&Version=2011-06-15');
});

test('header tricks are refused: case-duplicates, CR/LF, non-strings, unsigned server id, wrong scope', () => {
  rejects(() => checkIamRequest(input({ host: ['evil.example'] }), endpoint, 'us-east-1', 'arca'), /repeats a header name|Host header/);
  rejects(() => checkIamRequest(input({ 'X-Extra': ['a\r\nHost: evil'] }), endpoint, 'us-east-1', 'arca'), /must be strings/);
  rejects(() => checkIamRequest(input({ 'X-Extra': [1] }), endpoint, 'us-east-1', 'arca'), /must be strings/);
  rejects(() => checkIamRequest(input({ 'Bad Name': ['x'] }), endpoint, 'us-east-1', 'arca'), /invalid header name/);
  const unsigned = AUTH.replace(';x-vault-aws-iam-server-id', '');
  rejects(() => checkIamRequest(input({ Authorization: [unsigned] }), endpoint, 'us-east-1', 'arca'), /not signed/);
  rejects(() => checkIamRequest(input({ Authorization: [AUTH.replace('us-east-1', 'eu-west-1')] }), endpoint, 'us-east-1', 'arca'), /sts_region/);
  rejects(() => checkIamRequest(input({ Authorization: [AUTH.replace('/sts/', '/iam/')] }), endpoint, 'us-east-1', 'arca'), /well-formed/);
  rejects(() => checkIamRequest(input({ 'X-Amz-Date': ['20261125T000000Z'] }), endpoint, 'us-east-1', 'arca'), /credential scope date/);
  rejects(() => checkIamRequest(input({ 'Content-Type': undefined }), endpoint, 'us-east-1', 'arca'), /must be strings|signed header is missing/);
});

test('URL and body must be exactly the endpoint and GetCallerIdentity', () => {
  for (const url of ['https://sts.amazonaws.com.evil.example/', 'http://sts.amazonaws.com/', 'https://user@sts.amazonaws.com/', 'https://sts.amazonaws.com/x', 'https://sts.amazonaws.com/?Action=GetCallerIdentity']) {
    rejects(() => checkIamRequest(input({}, { iam_request_url: b64(url) }), endpoint, 'us-east-1', 'arca'), /configured STS endpoint/);
  }
  for (const body of ['Action=AssumeRole&Version=2011-06-15', 'Action=GetCallerIdentity', 'Action=GetCallerIdentity&Version=2011-06-15&RoleArn=x', 'Version=2011-06-15&Action=GetCallerIdentity&Action=GetCallerIdentity']) {
    rejects(() => checkIamRequest(input({}, { iam_request_body: b64(body) }), endpoint, 'us-east-1', 'arca'), /must be exactly/);
  }
  rejects(() => checkIamRequest(input({}, { iam_http_request_method: 'GET' }), endpoint, 'us-east-1', 'arca'), /must be POST/);
});

const ok = (arn: string, account = '123456789012', extra = '') => `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${arn}</Arn>${extra}
    <UserId>AIDAEXAMPLE</UserId>
    <Account>${account}</Account>
  </GetCallerIdentityResult>
</GetCallerIdentityResponse>`;

test('STS responses are parsed strictly', () => {
  assert.equal(parseCallerIdentity(ok('arn:aws:iam::123456789012:user/a')).principal.canonical, 'arn:aws:iam::123456789012:user/a');
  rejects(() => parseCallerIdentity(ok('arn:aws:iam::123456789012:user/a', '999988887777')), /account does not match/);
  rejects(() => parseCallerIdentity(ok('arn:aws:iam::123456789012:user/a', '123456789012', '<Arn>arn:aws:iam::123456789012:user/b</Arn>')), /exactly one Arn/);
  rejects(() => parseCallerIdentity(ok('arn:aws:iam::123456789012:user/a&amp;b')), /exactly one Arn|unrecognized/);
  rejects(() => parseCallerIdentity(`<ErrorResponse>${ok('arn:aws:iam::123456789012:user/a')}</ErrorResponse>`), /unrecognized STS response/);
  rejects(() => parseCallerIdentity(ok('arn:aws:iam::123456789012:user/a') + ok('arn:aws:iam::123456789012:user/b')), /unrecognized STS response/);
});
