/**
 * Username templates: the subset of Go's text/template that Vault's sdk/helper/template uses —
 * `{{ ... }}` actions with pipelines (`a | f x` calls `f x a`), parenthesised sub-expressions,
 * string and integer literals, fields (`.DisplayName`, `.RoleName`) and Vault's functions
 * (printf, random, truncate, truncate_sha256, uppercase, lowercase, replace, sha256, base64,
 * unix_time, unix_time_millis, uuid). Parsed once at config time; errors are InvalidRequest.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';

export interface TemplateData {
  DisplayName: string;
  RoleName: string;
  [field: string]: string;
}

type Value = string | number;

type Expr =
  | { kind: 'literal'; value: Value }
  | { kind: 'field'; name: string }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'pipe'; stages: Expr[] };

type Part = { kind: 'text'; text: string } | { kind: 'action'; expr: Expr };

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function fail(detail: string): never {
  throw new InvalidRequest(`unable to parse username template: ${detail}`);
}

function str(v: Value): string {
  return typeof v === 'number' ? String(v) : v;
}

function int(v: Value, fn: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidRequest(`username template: ${fn} needs a non-negative integer`);
  return n;
}

function printf(format: Value, ...args: Value[]): string {
  let i = 0;
  return str(format).replace(/%([%sdv])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    return str(args[i++]);
  });
}

const FUNCTIONS: Record<string, { arity: number | 'variadic'; fn: (...args: Value[]) => Value }> = {
  printf: { arity: 'variadic', fn: (format, ...args) => printf(format, ...args) },
  random: { arity: 1, fn: (n) => Array.from({ length: int(n, 'random') }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('') },
  truncate: { arity: 2, fn: (n, s) => Array.from(str(s)).slice(0, int(n, 'truncate')).join('') },
  truncate_sha256: {
    arity: 2,
    fn: (n, s) => {
      const max = int(n, 'truncate_sha256');
      const text = str(s);
      if (text.length <= max) return text;
      if (max <= 8) throw new InvalidRequest('username template: truncate_sha256 needs a length above 8');
      return text.slice(0, max - 8) + createHash('sha256').update(text.slice(max - 8)).digest('hex').slice(0, 8);
    },
  },
  uppercase: { arity: 1, fn: (s) => str(s).toUpperCase() },
  lowercase: { arity: 1, fn: (s) => str(s).toLowerCase() },
  replace: { arity: 3, fn: (from, to, s) => str(s).split(str(from)).join(str(to)) },
  sha256: { arity: 1, fn: (s) => createHash('sha256').update(str(s)).digest('hex') },
  base64: { arity: 1, fn: (s) => Buffer.from(str(s)).toString('base64') },
  unix_time: { arity: 0, fn: () => String(Math.floor(Date.now() / 1000)) },
  unix_time_millis: { arity: 0, fn: () => String(Date.now()) },
  uuid: { arity: 0, fn: () => randomUUID() },
};

type Token = { t: 'str' | 'num' | 'field' | 'ident' | '(' | ')' | '|'; v: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+)|(\.[A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*)|([()|]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(source);
    if (!m) fail('unexpected character in action');
    at = re.lastIndex;
    if (m[1]) tokens.push({ t: 'str', v: JSON.parse(m[1]) as string });
    else if (m[2]) tokens.push({ t: 'str', v: m[2].slice(1, -1) });
    else if (m[3]) tokens.push({ t: 'num', v: m[3] });
    else if (m[4]) tokens.push({ t: 'field', v: m[4].slice(1) });
    else if (m[5]) tokens.push({ t: 'ident', v: m[5] });
    else tokens.push({ t: m[6] as '(' | ')' | '|', v: m[6] });
  }
  return tokens;
}

function parseAction(source: string): Expr {
  const tokens = tokenize(source);
  let pos = 0;

  function operand(): Expr {
    const tok = tokens[pos];
    if (!tok) fail('unexpected end of action');
    pos++;
    switch (tok.t) {
      case 'str': return { kind: 'literal', value: tok.v };
      case 'num': return { kind: 'literal', value: Number(tok.v) };
      case 'field': return { kind: 'field', name: tok.v };
      case 'ident': return { kind: 'call', name: tok.v, args: [] };
      case '(': {
        const inner = pipeline();
        if (tokens[pos]?.t !== ')') fail('missing )');
        pos++;
        return inner;
      }
      default: return fail('unexpected token');
    }
  }

  function command(): Expr {
    const isFunction = tokens[pos]?.t === 'ident';
    const head = operand();
    const args: Expr[] = [];
    while (pos < tokens.length && tokens[pos].t !== '|' && tokens[pos].t !== ')') args.push(operand());
    if (isFunction && head.kind === 'call') {
      if (!(head.name in FUNCTIONS)) fail(`function "${head.name}" not defined`);
      return { kind: 'call', name: head.name, args };
    }
    if (args.length > 0) fail('cannot give arguments to a non-function');
    return head;
  }

  function pipeline(): Expr {
    const stages = [command()];
    while (tokens[pos]?.t === '|') {
      pos++;
      const isFunction = tokens[pos]?.t === 'ident';
      const stage = command();
      if (!isFunction || stage.kind !== 'call') fail('a pipeline stage must be a function');
      stages.push(stage);
    }
    return stages.length === 1 ? stages[0] : { kind: 'pipe', stages };
  }

  const expr = pipeline();
  if (pos !== tokens.length) fail('unexpected token');
  return expr;
}

function call(name: string, args: Value[]): Value {
  const spec = FUNCTIONS[name];
  if (spec.arity !== 'variadic' && args.length !== spec.arity) {
    throw new InvalidRequest(`username template: wrong number of arguments for ${name}`);
  }
  if (spec.arity === 'variadic' && args.length === 0) throw new InvalidRequest(`username template: ${name} needs arguments`);
  return spec.fn(...args);
}

function evaluate(expr: Expr, data: TemplateData, piped?: Value): Value {
  switch (expr.kind) {
    case 'literal': return expr.value;
    case 'field': {
      if (!(expr.name in data)) throw new InvalidRequest(`username template: no field ${expr.name}`);
      return data[expr.name];
    }
    case 'call': {
      const args = expr.args.map((a) => evaluate(a, data));
      if (piped !== undefined) args.push(piped);
      return call(expr.name, args);
    }
    case 'pipe': {
      let value = evaluate(expr.stages[0], data);
      for (const stage of expr.stages.slice(1)) value = evaluate(stage, data, value);
      return value;
    }
  }
}

export interface UsernameTemplate {
  source: string;
  render(data: TemplateData): string;
}

export function parseUsernameTemplate(source: string): UsernameTemplate {
  const parts: Part[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) { parts.push({ kind: 'text', text: source.slice(at) }); break; }
    if (open > at) parts.push({ kind: 'text', text: source.slice(at, open) });
    const close = source.indexOf('}}', open + 2);
    if (close < 0) fail('unclosed action');
    let inner = source.slice(open + 2, close);
    // Go's trim markers: "{{- " and " -}}".
    if (inner.startsWith('- ')) inner = inner.slice(2);
    if (inner.endsWith(' -')) inner = inner.slice(0, -2);
    parts.push({ kind: 'action', expr: parseAction(inner) });
    at = close + 2;
  }
  if (parts.length === 0) fail('empty template');
  return {
    source,
    render(data) {
      const out = parts.map((p) => (p.kind === 'text' ? p.text : str(evaluate(p.expr, data)))).join('');
      if (out === '') throw new InvalidRequest('username template produced an empty username');
      return out;
    },
  };
}
