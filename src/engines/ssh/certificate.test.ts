import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandExists, requireSystem } from '../../../test/support/requires.js';
import { encodeCertificate, encodeOptions } from './certificate.js';
import { parseAuthorizedKey } from './key-types.js';
import { encodeOpensshPrivateKey, parseOpensshPrivateKey } from './openssh-private-key.js';
import { SshReader } from './wire.js';

const skip = requireSystem('ssh certificate layout', { install: 'Debian package openssh-client', present: () => commandExists('ssh-keygen') });

test('options are sorted, and non-empty values are wrapped in a string', () => {
  assert.equal(
    encodeOptions({ 'permit-pty': '', 'force-command': 'ls' }).toString('hex'),
    '0000000d' + Buffer.from('force-command').toString('hex') + '00000006' + '00000002' + Buffer.from('ls').toString('hex')
      + '0000000a' + Buffer.from('permit-pty').toString('hex') + '00000000',
  );
});

test('a certificate is byte for byte what ssh-keygen -s writes for the same inputs (Ed25519 CA)', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-ssh-cert-'));
  try {
    for (const subjectType of ['ecdsa', 'ed25519', 'rsa']) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, `ca-${subjectType}`)]);
      execFileSync('ssh-keygen', ['-q', '-t', subjectType, '-N', '', '-f', join(dir, subjectType)]);
      execFileSync('ssh-keygen', ['-q', '-s', join(dir, `ca-${subjectType}`), '-I', 'key-id', '-n', 'alice,bob', '-V', '20240101000000:20240102000000',
        '-O', 'clear', '-O', 'permit-pty', '-O', 'permit-agent-forwarding', '-O', 'force-command=ls -l', '-z', '42', join(dir, `${subjectType}.pub`)],
      { env: { ...process.env, TZ: 'UTC' } });
      const theirs = Buffer.from(readFileSync(join(dir, `${subjectType}-cert.pub`), 'utf8').split(' ')[1]!, 'base64');
      const reader = new SshReader(theirs);
      reader.string();
      const nonce = reader.string();
      const ca = parseOpensshPrivateKey(readFileSync(join(dir, `ca-${subjectType}`), 'utf8'));
      const ours = encodeCertificate({
        subject: parseAuthorizedKey(readFileSync(join(dir, `${subjectType}.pub`), 'utf8')),
        nonce, serial: 42n, certType: 'user', keyId: 'key-id', principals: ['alice', 'bob'],
        validAfter: Date.parse('2024-01-01T00:00:00Z') / 1000, validBefore: Date.parse('2024-01-02T00:00:00Z') / 1000,
        criticalOptions: { 'force-command': 'ls -l' }, extensions: { 'permit-pty': '', 'permit-agent-forwarding': '' },
      }, ca);
      assert.equal(ours.toString('base64'), theirs.toString('base64'), subjectType);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('OpenSSH private keys round-trip through ssh-keygen for every key type', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-ssh-key-'));
  try {
    for (const [type, bits] of [['ed25519', 0], ['rsa', 2048], ['ecdsa', 256], ['ecdsa', 384], ['ecdsa', 521]] as const) {
      const path = join(dir, `${type}-${bits}`);
      execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-C', '', '-f', path]);
      const key = parseOpensshPrivateKey(readFileSync(path, 'utf8'));
      const again = `${path}-again`;
      execFileSync('sh', ['-c', 'umask 077 && cat > "$1"', 'sh', again], { input: encodeOpensshPrivateKey(key) });
      const derived = execFileSync('ssh-keygen', ['-y', '-f', again], { encoding: 'utf8' }).trim();
      assert.equal(derived, readFileSync(`${path}.pub`, 'utf8').trim(), `${type}-${bits}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
