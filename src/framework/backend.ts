/**
 * A backend is a list of paths plus optional lifecycle hooks. `createDispatcher` turns it into
 * the single entry point core calls: match → validate fields → existence check → handler.
 */
import { InvalidRequest, NotFound, UnsupportedOperation } from '../errors.js';
import { parseFields, type Fields } from './fields.js';
import type { LogicalRequest, LogicalResponse, SecretLease, AuthResult } from './logical.js';
import { compilePattern, matchPattern, type CompiledPattern } from './pattern.js';
import type { PathDef } from './path.js';

export interface SecretType {
  renew?(req: LogicalRequest, lease: SecretLease, incrementSeconds: number): Promise<SecretLease>;
  revoke(req: LogicalRequest, lease: SecretLease): Promise<void>;
}

export interface Backend {
  paths: PathDef<any>[];
  /** Patterns (trailing `*` = prefix) reachable without a token, e.g. `login`, `login/*`. */
  unauthenticatedPaths?: string[];
  /** Patterns that need `sudo` on top of the operation's capability (Vault's root paths). */
  rootPaths?: string[];
  /** Patterns whose storage entries are seal-wrapped (trailing `*` = prefix). */
  sealWrapStorage?: string[];
  secrets?: Record<string, SecretType>;
  /** Auth methods: re-check identity on token renewal. */
  renewAuth?(req: LogicalRequest, auth: AuthResult): Promise<AuthResult>;
  cleanup?(): Promise<void>;
  /** The paths to document (help, OpenAPI) when `paths` only forward to an inner dispatcher. */
  describe?(): PathDef<any>[];
}

interface CompiledPath {
  def: PathDef<any>;
  pattern: CompiledPattern;
}

export interface Dispatcher {
  handle(req: LogicalRequest): Promise<LogicalResponse>;
  /** For core: does the target exist? Undefined when the path has no existence check. */
  exists(req: LogicalRequest): Promise<boolean | undefined>;
  /** Whether any path matches (help, OpenAPI, 404 vs 405). */
  matches(relativePath: string): boolean;
  backend: Backend;
}

/** The field table of a path that declares none (one object: parseFields keeps per-table state). */
const NO_FIELDS: Fields = Object.freeze({});

export function createDispatcher(backend: Backend): Dispatcher {
  const compiled: CompiledPath[] = backend.paths.map((def) => ({ def, pattern: compilePattern(def.pattern) }));

  function route(relativePath: string): { path: CompiledPath; captures: Record<string, string> } | undefined {
    let best: { path: CompiledPath; captures: Record<string, string> } | undefined;
    for (const candidate of compiled) {
      if (!relativePath.startsWith(candidate.pattern.literalPrefix)) continue;
      const captures = matchPattern(candidate.pattern, relativePath);
      if (!captures) continue;
      if (!best || candidate.pattern.literalSegments > best.path.pattern.literalSegments) {
        best = { path: candidate, captures };
      }
    }
    return best;
  }

  function fieldInput(req: LogicalRequest, captures: Record<string, string>): Record<string, unknown> {
    return { ...req.data, ...captures };
  }

  return {
    backend,
    matches: (relativePath) => route(relativePath) !== undefined,

    async exists(req) {
      const found = route(req.mountRelativePath);
      if (!found?.path.def.existenceCheck) return undefined;
      const { data } = parseFields(found.path.def.fields ?? NO_FIELDS, fieldInput(req, found.captures));
      return found.path.def.existenceCheck(req, data);
    },

    async handle(req) {
      const found = route(req.mountRelativePath);
      if (!found) throw new NotFound('unsupported path');
      const { def } = found.path;
      if (req.operation === 'help') {
        return { data: { help: [def.synopsis, def.description].filter(Boolean).join('\n\n') } };
      }
      const op = req.operation === 'header' ? 'read' : req.operation;
      const handler = def.operations[op] ?? (op === 'create' ? def.operations.update : undefined);
      if (!handler) throw new UnsupportedOperation();
      const fields = def.fields ?? NO_FIELDS;
      const { data, unknown } = parseFields(fields, fieldInput(req, found.captures));
      const response = (await handler(req, data)) ?? {};
      if (unknown.length > 0 && !def.arbitraryData && op !== 'read' && op !== 'list' && op !== 'delete') {
        response.warnings = [
          ...(response.warnings ?? []),
          `Endpoint ignored these unrecognized parameters: [${unknown.sort().join(' ')}]`,
        ];
      }
      return response;
    },
  };
}

/** True when `relativePath` is covered by a list of patterns where a trailing `*` means prefix. */
export function pathListMatches(patterns: readonly string[] | undefined, relativePath: string): boolean {
  if (!patterns) return false;
  return patterns.some((p) => (p.endsWith('*') ? relativePath.startsWith(p.slice(0, -1)) : relativePath === p));
}

export function requireString(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw new InvalidRequest(`missing ${field}`);
  return value;
}
