/**
 * Reads server configuration files: each path is an .hcl/.json file or a directory whose
 * .hcl/.json files are read in sorted order. HCL goes through util/hcl.ts (hcl2json's JSON shape).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InvalidRequest } from '../errors.js';
import { parseHcl } from '../util/hcl.js';
import { decodeConfig } from './decode.js';
import type { ConfigLayer } from './layer.js';
import { mergeLayers, type FinalizeOptions } from './merge.js';
import type { ServerConfig } from './types.js';

const EXTENSIONS = new Set(['.hcl', '.json']);

export async function loadConfig(paths: string[], options: FinalizeOptions = {}): Promise<ServerConfig> {
  if (paths.length === 0) throw new InvalidRequest('no configuration files given');
  const layers: ConfigLayer[] = [];
  const files: string[] = [];
  for (const path of paths) {
    for (const file of await expand(path)) {
      files.push(file);
      layers.push(await loadFile(file));
    }
  }
  return mergeLayers(layers, options, files.join(', '));
}

/** Parses one file's text; exported for tests and for `-config` given inline. */
export async function parseConfigText(text: string, file: string): Promise<ConfigLayer> {
  let doc: unknown;
  if (extname(file).toLowerCase() === '.json') {
    try {
      doc = JSON.parse(text);
    } catch {
      throw new InvalidRequest(`${file}: invalid JSON`);
    }
  } else {
    try {
      doc = parseHcl(text, file);
    } catch (err) {
      const detail = err instanceof Error ? err.message.replace(/^parse config: /, '') : 'parse error';
      throw new InvalidRequest(`${file}: invalid HCL: ${detail}`);
    }
  }
  return decodeConfig(doc, file);
}

async function loadFile(file: string): Promise<ConfigLayer> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InvalidRequest(`cannot read config file ${file}`);
  }
  return parseConfigText(text, file);
}

async function expand(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InvalidRequest(`config path ${path} does not exist`);
  }
  if (!info.isDirectory()) {
    if (!EXTENSIONS.has(extname(path).toLowerCase())) throw new InvalidRequest(`${path}: config files must end in .hcl or .json`);
    return [path];
  }
  const names = (await readdir(path)).filter((n) => EXTENSIONS.has(extname(n).toLowerCase())).sort();
  const files: string[] = [];
  for (const name of names) {
    const full = join(path, name);
    if ((await stat(full)).isFile()) files.push(full);
  }
  return files;
}
