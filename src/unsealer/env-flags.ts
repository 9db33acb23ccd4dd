/**
 * Fills flags that were not given on the command line from the environment:
 * `ARCA_UNSEALER_<FLAG>` first, then Bank-Vaults' `BANK_VAULTS_<FLAG>` (upper snake case).
 */
import { FlagError, type FlagSpecs, type FlagValues } from '../cli/flags.js';
import type { Env } from '../cli/settings.js';

const TRUE = new Set(['1', 't', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'f', 'false', 'no', 'off']);

export function envNames(flag: string): [string, string] {
  const snake = flag.toUpperCase().replace(/-/g, '_');
  return [`ARCA_UNSEALER_${snake}`, `BANK_VAULTS_${snake}`];
}

export function withEnv<S extends FlagSpecs>(specs: S, values: FlagValues<S>, set: ReadonlySet<string>, env: Env): FlagValues<S> {
  const out: Record<string, unknown> = { ...values };
  for (const [flag, spec] of Object.entries(specs)) {
    if (set.has(flag)) continue;
    const name = envNames(flag).find((n) => env[n] !== undefined && env[n] !== '');
    if (name === undefined) continue;
    const raw = env[name]!.trim();
    if (spec.kind === 'bool') {
      if (TRUE.has(raw.toLowerCase())) out[flag] = true;
      else if (FALSE.has(raw.toLowerCase())) out[flag] = false;
      else throw new FlagError(`invalid boolean value in ${name}`);
    } else if (spec.kind === 'int') {
      if (!/^-?\d+$/.test(raw)) throw new FlagError(`invalid value in ${name}: expected an integer`);
      out[flag] = Number(raw);
    } else if (spec.kind === 'strings') {
      out[flag] = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    } else {
      out[flag] = raw;
    }
  }
  return out as FlagValues<S>;
}
