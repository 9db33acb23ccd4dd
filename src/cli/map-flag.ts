/** Vault's StringMapVar: repeated `-flag=key=value` into a map. */
import { FlagError } from './flags.js';

export function parseMapFlag(name: string, values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new FlagError(`invalid value for -${name}: expected key=value`);
    out[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return out;
}

/** Vault's StringSliceVar: repeated and comma-separated values. */
export function parseSliceFlag(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}
