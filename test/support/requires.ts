/**
 * Suites that need a system package run when it is present; otherwise they print one line
 * naming the package and skip. With CI=true a missing package fails the suite instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Requirement {
  /** What is missing, as a person would install it: "Debian package softhsm2". */
  install: string;
  present: () => boolean;
}

export function commandExists(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function fileExists(...paths: string[]): boolean {
  return paths.some((p) => existsSync(p));
}

/**
 * Returns a `skip` value for node:test: false when every requirement is met, else the
 * message. Under CI=true a missing requirement throws, so the suite fails loudly.
 */
export function requireSystem(suite: string, ...requirements: Requirement[]): string | false {
  const missing = requirements.filter((r) => !r.present()).map((r) => r.install);
  if (missing.length === 0) return false;
  const line = `${suite}: skipped, install ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`${suite}: missing ${missing.join(', ')} (CI=true)`);
  console.log(line);
  return line;
}
