import { FIELD_FLAGS, HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, defineCommand, formatFrom, println, type CliContext } from '../command.js';
import { ApiError, type Client } from '../client.js';
import { FlagError } from '../flags.js';
import type { OutputFormat, Secret } from '../format.js';
import { parseKeyValues } from '../kv-args.js';
import { KV_MOUNT_FLAG, headerForMap, kvSetup, printPath } from '../kv-command.js';
import { kvApiPath } from '../kv-paths.js';
import { printWriteMetadata } from '../output.js';

export const MERGE_PATCH = { 'Content-Type': 'application/merge-patch+json' };

/** Reads the current version, merges, and writes it back with cas = that version. */
async function readThenWrite(ctx: CliContext, client: Client, path: string, newData: Record<string, unknown>, format: OutputFormat): Promise<Secret | number> {
  let current: Secret | undefined;
  try {
    const res = await client.get(path, { accept: [404] });
    current = res.status === 404 ? undefined : res.body as Secret | undefined;
  } catch (err) {
    return apiFailure(ctx, `Error doing pre-read at ${path}`, err);
  }
  if (!current?.data) { println(ctx.stderr, `No value found at ${path}`); return 2; }
  const meta = current.data.metadata as Record<string, unknown> | null | undefined;
  if (!meta) { println(ctx.stderr, `No metadata found at ${path}; patch only works on existing data`); return 2; }
  const data = current.data.data as Record<string, unknown> | null | undefined;
  if (!data) { println(ctx.stderr, `No data found at ${path}; patch only works on existing data`); return 2; }
  try {
    const res = await client.put(path, { data: { ...data, ...newData }, options: { cas: meta.version } });
    if (!res.body) { if (format === 'table') println(ctx.stdout, `Success! Data written to: ${path}`); return 0; }
    return res.body as Secret;
  } catch (err) {
    return apiFailure(ctx, `Error writing data to ${path}`, err);
  }
}

export const kvPatchCommand = defineCommand({
  name: 'kv patch',
  synopsis: 'Sets or updates data in the KV store without overwriting',
  help: `Usage: arca kv patch [options] KEY [DATA]

  Merges the data into the newest version of a KV v2 secret, creating a new version. By default
  it sends an HTTP PATCH and falls back to read-then-write when the server or policy refuses
  PATCH; -method=patch or -method=rw forces one. -remove-data removes keys.

      $ arca kv patch -mount=secret foo bar=baz`,
  flags: {
    ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS, ...KV_MOUNT_FLAG,
    cas: { kind: 'int', usage: 'Check-and-set: patch only if the current version is this.', default: 0 },
    method: { kind: 'string', usage: 'How to patch: "patch" (HTTP PATCH) or "rw" (read, then write).' },
    'remove-data': { kind: 'strings', usage: 'A key to remove; may be repeated.' },
  },
  async run(ctx, flags, args, set) {
    const format = formatFrom(ctx, flags, set);
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected >1, got ${args.length})`); return 1; }
    if (flags['remove-data'].length === 0 && args.length === 1) { println(ctx.stderr, 'Must supply data'); return 1; }
    let newData: Record<string, unknown>;
    try { newData = await parseKeyValues(args.slice(1), ctx.stdin); } catch (err) {
      if (err instanceof FlagError) { println(ctx.stderr, `Failed to parse K=V data: ${err.message}`); return 1; }
      throw err;
    }
    const setup = await kvSetup(ctx, flags, args.slice(0, 1));
    if (typeof setup === 'number') return setup;
    const { client, target } = setup;
    if (!target.v2) { println(ctx.stderr, 'K/V engine mount must be version 2 for patch support'); return 2; }
    const fullPath = kvApiPath(target, 'data');
    for (const key of flags['remove-data']) newData[key] = null;

    let result: Secret | number;
    if (flags.method === 'rw') {
      result = await readThenWrite(ctx, client, fullPath, newData, format);
    } else if (flags.method === 'patch' || flags.method === '') {
      const fallback = flags.method === '';
      const body = { data: newData, options: flags.cas > 0 ? { cas: flags.cas } : {} };
      try {
        const res = await client.request('PATCH', fullPath, { body, headers: MERGE_PATCH });
        if (!res.body) { if (format === 'table') println(ctx.stdout, `Success! Data written to: ${fullPath}`); return 0; }
        result = res.body as Secret;
      } catch (err) {
        if (fallback && err instanceof ApiError && err.status === 405) {
          result = await readThenWrite(ctx, client, fullPath, newData, format);
        } else if (fallback && err instanceof ApiError && err.status === 403) {
          println(ctx.stderr, `Data was written to ${fullPath} but we recommend that you add the "patch" capability to your ACL policy in order to use HTTP PATCH in the future.`);
          result = await readThenWrite(ctx, client, fullPath, newData, format);
        } else {
          return apiFailure(ctx, `Error writing data to ${fullPath}`, err);
        }
      }
    } else {
      println(ctx.stderr, `Unsupported method provided to -method flag: ${flags.method}`);
      return 2;
    }
    if (typeof result === 'number') return result;
    const secret = result;
    return printWriteMetadata(ctx, secret, format, flags.field, () => {
      printPath(ctx, fullPath, 'Secret Path');
      println(ctx.stdout, headerForMap('Metadata', secret.data ?? {}));
    });
  },
});
