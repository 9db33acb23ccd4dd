/**
 * OpenAPI 3 description of a backend's paths, generated from the same declarations that route
 * requests: patterns become templated paths, captures become path parameters, the other
 * fields become the request body schema, operations become HTTP methods.
 */
import type { FieldSpec, Fields } from './fields.js';
import { compilePattern } from './pattern.js';
import type { PathDef } from './path.js';

type Schema = Record<string, unknown>;

const FIELD_SCHEMA: Record<FieldSpec['type'], Schema> = {
  string: { type: 'string' },
  int: { type: 'integer' },
  bool: { type: 'boolean' },
  duration: { type: 'string', format: 'duration' },
  stringList: { type: 'array', items: { type: 'string' } },
  commaStringList: { type: 'array', items: { type: 'string' } },
  map: { type: 'object' },
  keyPairs: { type: 'object', additionalProperties: { type: 'string' } },
  any: {},
};

function fieldSchema(spec: FieldSpec): Schema {
  const schema: Schema = { ...FIELD_SCHEMA[spec.type] };
  if (spec.description) schema.description = spec.description;
  if (spec.default !== undefined) schema.default = spec.default;
  if (spec.oneOf) schema.enum = [...spec.oneOf];
  return schema;
}

/** `data/:path*` under `secret/` → `/secret/data/{path}`; an optional segment yields both forms. */
export function openApiPaths(pattern: string, prefix: string): string[] {
  const variants: string[][] = [[]];
  for (const segment of pattern === '' ? [] : pattern.split('/')) {
    const capture = /^:([a-z_][a-z0-9_]*)([?*]?)$/i.exec(segment);
    if (!capture) { for (const v of variants) v.push(segment); continue; }
    const [, name, modifier] = capture;
    if (modifier === '?') {
      const withIt = variants.map((v) => [...v, `{${name}}`]);
      variants.push(...withIt);
    } else {
      for (const v of variants) v.push(`{${name}}`);
    }
  }
  return variants.map((v) => `/${prefix}${v.join('/')}`.replace(/\/$/, '') || '/');
}

export function describeBackend(paths: PathDef<any>[], prefix: string, tag: string): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const def of paths) {
    const fields: Fields = def.fields ?? {};
    const captures = new Set(compilePattern(def.pattern).captures);
    const bodyFields = Object.entries(fields).filter(([name]) => !captures.has(name));
    for (const route of openApiPaths(def.pattern, prefix)) {
      const inPath = [...route.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const item: Schema = {
        description: def.synopsis ?? '',
        parameters: inPath.map((name) => ({
          name, in: 'path', required: true,
          description: fields[name]?.description ?? '',
          schema: fields[name] ? fieldSchema(fields[name]) : { type: 'string' },
        })),
      };
      const ops = def.operations;
      const response = { responses: { 200: { description: 'OK' }, 204: { description: 'empty body' } } };
      if (ops.read) item.get = { tags: [tag], operationId: `read${route}`, ...response };
      if (ops.list) {
        item.get ??= { tags: [tag], operationId: `list${route}`, ...response };
        (item.get as Schema).parameters = [{ name: 'list', in: 'query', required: !ops.read, schema: { type: 'string', enum: ['true'] } }];
      }
      if (ops.update || ops.create) {
        item.post = {
          tags: [tag], operationId: `write${route}`, ...response,
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: Object.fromEntries(bodyFields.map(([name, spec]) => [name, fieldSchema(spec)])),
                  required: bodyFields.filter(([, spec]) => spec.required).map(([name]) => name),
                },
              },
            },
          },
        };
      }
      if (ops.patch) item.patch = { tags: [tag], operationId: `patch${route}`, ...response };
      if (ops.delete) item.delete = { tags: [tag], operationId: `delete${route}`, ...response };
      out[route] = item;
    }
  }
  return out;
}

export function openApiDocument(version: string, paths: Record<string, Schema>): Schema {
  return {
    openapi: '3.0.2',
    info: { title: 'Arca HTTP API', description: 'Vault-compatible HTTP API of this server, generated from its mounted backends.', version, license: { name: 'MPL-2.0' } },
    paths,
    components: { schemas: {} },
  };
}
