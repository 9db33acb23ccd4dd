/** `key=value`, `key=@file`, `key=-` (stdin) and a lone `-` (a JSON object on stdin), as Vault's kvbuilder. */
import { readFile } from 'node:fs/promises';
import { FlagError } from './flags.js';
import { readAll } from './prompt.js';

export async function parseKeyValues(args: string[], stdin: NodeJS.ReadableStream): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  let stdinUsed = false;
  const readStdin = async () => {
    if (stdinUsed) throw new FlagError('stdin can only be read once');
    stdinUsed = true;
    return readAll(stdin);
  };
  for (const arg of args) {
    if (arg === '-') {
      let parsed: unknown;
      try { parsed = JSON.parse(await readStdin()); } catch { throw new FlagError('Failed to parse JSON data from stdin'); }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new FlagError('stdin must hold a JSON object');
      Object.assign(out, parsed);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new FlagError(`Invalid key/value pair "${arg.slice(0, 40)}": format must be key=value`);
    const key = arg.slice(0, eq);
    let value: string = arg.slice(eq + 1);
    if (value === '-') value = await readStdin();
    else if (value.startsWith('@')) {
      try { value = await readFile(value.slice(1), 'utf8'); } catch { throw new FlagError(`error reading file for key "${key}"`); }
    }
    out[key] = value;
  }
  return out;
}
