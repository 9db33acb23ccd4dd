/**
 * Real SoftHSM2 tokens for tests: each call makes a fresh token directory, points
 * SOFTHSM2_CONF at it (SoftHSM reads it at C_Initialize) and initialises a token there with
 * softhsm2-util. Suites skip with one line naming the Debian package when it is absent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandExists, fileExists, requireSystem } from './requires.js';

export const SOFTHSM_LIB_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

export function softhsmLib(): string {
  return SOFTHSM_LIB_CANDIDATES.find((p) => fileExists(p)) ?? SOFTHSM_LIB_CANDIDATES[0];
}

/** `skip` value for node:test suites that need SoftHSM2. */
export function requireSoftHsm(suite: string): string | false {
  return requireSystem(suite, {
    install: 'Debian package softhsm2',
    present: () => commandExists('softhsm2-util') && fileExists(...SOFTHSM_LIB_CANDIDATES),
  });
}

export interface SoftHsmToken {
  dir: string;
  conf: string;
  lib: string;
  label: string;
  pin: string;
  soPin: string;
  /** Environment for child processes (SOFTHSM2_CONF). */
  env: Record<string, string>;
  /** `seal "pkcs11"` options for this token. */
  sealOptions(extra?: Record<string, string>): Record<string, string>;
  /** Removes every token in the directory: the HSM is gone. */
  destroy(): void;
  remove(): void;
}

export function createSoftHsmToken(options: { label?: string; pin?: string; setEnv?: boolean } = {}): SoftHsmToken {
  const dir = mkdtempSync(join(tmpdir(), 'arca-softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const label = options.label ?? 'arca';
  const pin = options.pin ?? '1234';
  const soPin = '5678';
  const env = { SOFTHSM2_CONF: conf };
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], {
    env: { ...process.env, ...env }, stdio: 'ignore',
  });
  if (options.setEnv !== false) process.env.SOFTHSM2_CONF = conf;
  const lib = softhsmLib();
  return {
    dir, conf, lib, label, pin, soPin, env,
    sealOptions: (extra = {}) => ({ lib, token_label: label, pin, key_label: 'arca-root', generate_key: 'true', ...extra }),
    destroy: () => {
      rmSync(tokens, { recursive: true, force: true });
      mkdirSync(tokens);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
