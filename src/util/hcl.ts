/**
 * A small HCL parser for the subset Vault server configs and ACL policies use. Its output is
 * exactly the JSON @cdktf/hcl2json produces for that subset (the golden tests pin this), so it
 * replaces a Go WebAssembly module that costs tens of MB of resident memory on first use.
 *
 * Shape (as hcl2json): attributes become values; a block `name "l1" "l2" { ... }` becomes
 * `{ name: { l1: { l2: [ body, ... ] } } }` and an unlabelled block `{ name: [ body, ... ] }`;
 * repeated blocks append to those arrays; object keys are sorted by byte order (Go maps).
 * Strings are Terraform-JSON style: a literal `${` or `%{` comes out escaped as `$${` / `%%{`,
 * and an interpolation of a plain reference (`"${foo.bar}"`) is kept as the text `${foo.bar}`.
 *
 * Deliberately refused, with an HclSyntaxError: expressions other than literals (operators,
 * function calls, bare references), template directives `%{...}`, interpolations other than a
 * plain reference, and an attribute and block sharing a name (hcl2json silently drops the block).
 *
 * Error messages carry a reason and a position, never the text being parsed.
 */

export class HclSyntaxError extends Error {
  readonly reason: string;
  readonly line: number;
  readonly column: number;
  readonly filename: string;

  constructor(reason: string, line: number, column: number, filename: string) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = 'HclSyntaxError';
    this.reason = reason;
    this.line = line;
    this.column = column;
    this.filename = filename;
  }
}

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

interface BlockEntry {
  labels: string[];
  body: Record<string, unknown>;
}

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}\-]/u;

export function parseHcl(text: string, filename: string): Record<string, unknown> {
  return new Parser(text, filename).parseFile();
}

/** Go's encoding/json sorts map keys by UTF-8 bytes, which is code point order. */
function compareKeys(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i].codePointAt(0)!;
    const y = cb[i].codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

/** Builds an object with own data properties (safe for keys such as `__proto__`), keys sorted. */
function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => compareKeys(a, b)));
}

/** Terraform-JSON escaping of literal template text, as hcl2json emits it. */
function escapeLiteral(s: string): string {
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string, private readonly filename: string) {
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  parseFile(): Record<string, unknown> {
    return this.parseBody(false);
  }

  // ---- errors and positions ----

  private fail(reason: string, at: number = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.src.length; i++) {
      if (this.src[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    const column = [...this.src.slice(lineStart, at)].length + 1;
    throw new HclSyntaxError(reason, line, column, this.filename);
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  private atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  private atNewline(): boolean {
    return this.peek() === '\n' || (this.peek() === '\r' && this.peek(1) === '\n');
  }

  // ---- whitespace and comments ----

  /** Skips spaces, tabs and comments, stopping at a newline (a line comment's newline too). */
  private skipInline(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || (c === '\r' && this.peek(1) !== '\n')) {
        this.pos++;
      } else if (c === '#' || (c === '/' && this.peek(1) === '/')) {
        while (!this.atEnd() && !this.atNewline()) this.pos++;
      } else if (c === '/' && this.peek(1) === '*') {
        const end = this.src.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  /** Skips whitespace, newlines and comments. */
  private skipAll(): void {
    for (;;) {
      this.skipInline();
      if (!this.atNewline()) return;
      this.pos += this.peek() === '\r' ? 2 : 1;
    }
  }

  /** An attribute or block ends at a newline or the end of input (a heredoc ends with one). */
  private expectLineEnd(what: string): void {
    if (this.src[this.pos - 1] === '\n') return;
    this.skipInline();
    if (this.atEnd()) return;
    if (!this.atNewline()) this.fail(`expected a newline after ${what}`);
    this.pos += this.peek() === '\r' ? 2 : 1;
  }

  // ---- bodies and blocks ----

  private parseBody(nested: boolean): Record<string, unknown> {
    const attributes = new Map<string, Value>();
    const blocks = new Map<string, BlockEntry[]>();
    for (;;) {
      this.skipAll();
      if (this.atEnd()) {
        if (nested) this.fail('unterminated block (missing "}")');
        break;
      }
      if (nested && this.peek() === '}') {
        this.pos++;
        break;
      }
      this.parseItem(attributes, blocks, 'multi');
    }
    return this.assembleBody(attributes, blocks);
  }

  /** One attribute or block; in a single-line block (`a { x = 1 }`) only an attribute. */
  private parseItem(
    attributes: Map<string, Value>,
    blocks: Map<string, BlockEntry[]>,
    mode: 'multi' | 'single',
  ): void {
    const start = this.pos;
    if (!ID_START.test(this.peek())) this.fail('expected an attribute or block name');
    const name = this.identifier();
    this.skipInline();
    if (this.peek() === '=') {
      this.pos++;
      this.skipInline();
      const value = this.parseValue();
      if (attributes.has(name)) this.fail('attribute redefined', start);
      if (blocks.has(name)) this.fail('an attribute and a block share a name', start);
      attributes.set(name, value);
      if (mode === 'multi') this.expectLineEnd('an attribute');
      return;
    }
    if (mode === 'single') this.fail('a single-line block may hold only one attribute');
    const labels: string[] = [];
    while (this.peek() !== '{') {
      if (this.peek() === '"') labels.push(this.label());
      else if (ID_START.test(this.peek())) labels.push(this.identifier());
      else this.fail('expected "=", a block label or "{"');
      this.skipInline();
    }
    this.pos++;
    const body = this.parseBlockBody();
    if (attributes.has(name)) this.fail('an attribute and a block share a name', start);
    const existing = blocks.get(name);
    if (existing && existing[0].labels.length !== labels.length) {
      this.fail('blocks of the same type have different numbers of labels', start);
    }
    if (existing) existing.push({ labels, body });
    else blocks.set(name, [{ labels, body }]);
    this.expectLineEnd('a block');
  }

  /** After `{`: `}`, a newline and a full body, or a single attribute then `}`. */
  private parseBlockBody(): Record<string, unknown> {
    this.skipInline();
    if (this.peek() === '}') {
      this.pos++;
      return {};
    }
    if (this.atNewline()) return this.parseBody(true);
    if (this.atEnd()) this.fail('unterminated block (missing "}")');
    const attributes = new Map<string, Value>();
    this.parseItem(attributes, new Map(), 'single');
    this.skipInline();
    if (this.peek() !== '}') this.fail('a single-line block must end with "}" after its attribute');
    this.pos++;
    return this.assembleBody(attributes, new Map());
  }

  private assembleBody(attributes: Map<string, Value>, blocks: Map<string, BlockEntry[]>): Record<string, unknown> {
    const entries: Array<[string, unknown]> = [...attributes];
    for (const [name, list] of blocks) entries.push([name, nestBlocks(list, 0)]);
    return sortedObject(entries);
  }

  private identifier(): string {
    const start = this.pos;
    this.pos++;
    while (!this.atEnd() && ID_CONTINUE.test(this.peek())) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** A quoted block label: a literal string, template sequences refused (as HCL does). */
  private label(): string {
    const start = this.pos;
    const { text, templated } = this.quoted(false);
    if (templated) this.fail('template sequences are not allowed in a block label', start);
    return text;
  }

  // ---- values ----

  private parseValue(): Value {
    const c = this.peek();
    if (c === '"') return this.quoted(true).text;
    if (c === '<' && this.peek(1) === '<') return this.heredoc();
    if (c === '[') return this.list();
    if (c === '{') return this.object();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    if (ID_START.test(c)) {
      const start = this.pos;
      const word = this.identifier();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
      this.fail('unsupported expression (only strings, numbers, true, false, null, lists and objects)', start);
    }
    if (this.atEnd() || this.atNewline()) this.fail('expected a value');
    this.fail('unexpected character');
  }

  private number(): number {
    const start = this.pos;
    let negative = false;
    if (this.peek() === '-') {
      negative = true;
      this.pos++;
      this.skipInline();
    }
    const match = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.src.slice(this.pos, this.pos + 400));
    if (!match) this.fail('invalid number', start);
    this.pos += match[0].length;
    if (this.peek() === '.' || ID_CONTINUE.test(this.peek())) this.fail('invalid number', start);
    const value = Number(match[0]);
    if (!Number.isFinite(value)) this.fail('number out of range', start);
    return negative ? -value : value;
  }

  private list(): Value[] {
    const open = this.pos;
    this.pos++;
    const items: Value[] = [];
    for (;;) {
      this.skipAll();
      if (this.atEnd()) this.fail('unterminated list (missing "]")', open);
      if (this.peek() === ']') {
        this.pos++;
        return items;
      }
      items.push(this.parseValue());
      this.skipAll();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ']') this.fail(this.atEnd() ? 'unterminated list (missing "]")' : 'expected "," or "]"');
    }
  }

  private object(): Record<string, Value> {
    const open = this.pos;
    this.pos++;
    const entries = new Map<string, Value>();
    for (;;) {
      this.skipAll();
      if (this.atEnd()) this.fail('unterminated object (missing "}")', open);
      if (this.peek() === '}') {
        this.pos++;
        return sortedObject(entries);
      }
      let key: string;
      if (this.peek() === '"') key = this.quoted(true).text;
      else if (ID_START.test(this.peek())) key = this.identifier();
      else this.fail('expected an object key');
      this.skipInline();
      if (this.peek() !== '=' && this.peek() !== ':') this.fail('expected "=" or ":" after an object key');
      this.pos++;
      this.skipInline();
      // Later duplicates win, as in hcl2json.
      entries.delete(key);
      entries.set(key, this.parseValue());
      this.skipInline();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() === '}') continue;
      else if (this.atNewline()) continue;
      else this.fail(this.atEnd() ? 'unterminated object (missing "}")' : 'expected ",", a newline or "}" after an object value');
    }
  }

  // ---- strings and templates ----

  /**
   * A quoted string starting at `"`. With `asTemplate` the result is hcl2json's rendering
   * (literal `${`/`%{` escaped, plain-reference interpolations kept as text); without, the
   * literal value, and `templated` reports whether any interpolation or directive appeared.
   */
  private quoted(asTemplate: boolean): { text: string; templated: boolean } {
    const open = this.pos;
    this.pos++;
    const out = new TemplateOutput(asTemplate);
    for (;;) {
      if (this.atEnd() || this.atNewline()) this.fail('unterminated string', open);
      const c = this.peek();
      if (c === '"') {
        this.pos++;
        return { text: out.finish(), templated: out.templated };
      }
      if (c === '\\') {
        out.literal(this.escape());
        continue;
      }
      if (this.templateSequence(out, asTemplate)) continue;
      out.literal(c);
      this.pos++;
    }
  }

  private escape(): string {
    const start = this.pos;
    const c = this.peek(1);
    this.pos += 2;
    switch (c) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '"': return '"';
      case '\\': return '\\';
      case 'u':
      case 'U': {
        const digits = c === 'u' ? 4 : 8;
        const hex = this.src.slice(this.pos, this.pos + digits);
        if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) this.fail('invalid unicode escape', start);
        const code = parseInt(hex, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail('invalid unicode escape', start);
        this.pos += digits;
        return String.fromCodePoint(code);
      }
      default:
        this.fail('invalid escape sequence', start);
    }
  }

  /** Handles `$${`, `%%{`, `${...}` and `%{...}` at pos; returns false when none is there. */
  private templateSequence(out: TemplateOutput, allowInterpolation: boolean): boolean {
    const c = this.peek();
    if ((c === '$' || c === '%') && this.peek(1) === c && this.peek(2) === '{') {
      out.literal(`${c}{`);
      this.pos += 3;
      return true;
    }
    if (c === '%' && this.peek(1) === '{') this.fail('template directives (%{...}) are not supported; write %%{ for a literal');
    if (c !== '$' || this.peek(1) !== '{') return false;
    if (!allowInterpolation) this.fail('template sequences are not allowed here; write $${ for a literal');
    out.interpolation(this.interpolation());
    return true;
  }

  /** `${ reference }` where reference is name(.name | [number] | ["string"])*; returns `${reference}`. */
  private interpolation(): string {
    const open = this.pos;
    this.pos += 2;
    const unsupported: () => never = () =>
      this.fail('unsupported interpolation (only ${name.attr} references are kept as text); write $${ for a literal', open);
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
    if (!ID_START.test(this.peek())) unsupported();
    const start = this.pos;
    const root = this.identifier();
    if (root === 'true' || root === 'false' || root === 'null') unsupported();
    let end = this.pos;
    for (;;) {
      while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
      if (this.peek() === '.') {
        this.pos++;
        while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
        if (!ID_START.test(this.peek())) unsupported();
        this.identifier();
      } else if (this.peek() === '[') {
        const m = /^\[[ \t]*(?:[0-9]+|"[^"\\$%\n]*")[ \t]*\]/.exec(this.src.slice(this.pos, this.pos + 1000));
        if (!m) unsupported();
        this.pos += m[0].length;
      } else {
        break;
      }
      end = this.pos;
    }
    if (this.peek() !== '}') unsupported();
    this.pos++;
    return `\${${this.src.slice(start, end)}}`;
  }

  /** `<<MARKER` or `<<-MARKER` (indented: the common leading whitespace is removed). */
  private heredoc(): string {
    const open = this.pos;
    this.pos += 2;
    const indented = this.peek() === '-';
    if (indented) this.pos++;
    if (!ID_START.test(this.peek())) this.fail('expected a heredoc marker after "<<"', open);
    const marker = this.identifier();
    if (!this.atNewline()) this.fail('a heredoc marker must be followed by a newline', open);
    this.pos += this.peek() === '\r' ? 2 : 1;

    // Lines as [start, end) offsets including their newline.
    const lines: Array<[number, number]> = [];
    for (;;) {
      const nl = this.src.indexOf('\n', this.pos);
      if (nl < 0) this.fail('unterminated heredoc (no closing marker line)', open);
      const content = this.src.slice(this.pos, nl).replace(/\r$/, '');
      if (content.replace(/^[ \t]+|[ \t]+$/g, '') === marker) {
        this.pos = nl + 1;
        break;
      }
      lines.push([this.pos, nl + 1]);
      this.pos = nl + 1;
    }

    const blank = (s: number, e: number) => /^[ \t\r\n]*$/.test(this.src.slice(s, e));
    let strip = 0;
    if (indented) {
      strip = Infinity;
      for (const [s, e] of lines) {
        if (blank(s, e)) continue;
        strip = Math.min(strip, /^[ \t]*/.exec(this.src.slice(s, e))![0].length);
      }
      if (strip === Infinity) strip = 0;
    }

    const after = this.pos;
    const out = new TemplateOutput(true);
    for (const [s, e] of lines) {
      this.pos = indented && !blank(s, e) ? s + strip : s;
      while (this.pos < e) {
        if (this.templateSequence(out, true)) {
          if (this.pos > e) this.fail('an interpolation must not span lines', s);
          continue;
        }
        out.literal(this.src[this.pos]);
        this.pos++;
      }
    }
    this.pos = after;
    return out.finish();
  }
}

/** Collects a template's parts the way hcl2json renders them. */
class TemplateOutput {
  private text = '';
  private pending = '';
  templated = false;

  constructor(private readonly escapeLiterals: boolean) {}

  literal(s: string): void {
    this.pending += s;
  }

  interpolation(source: string): void {
    this.flush();
    this.text += source;
    this.templated = true;
  }

  finish(): string {
    this.flush();
    return this.text;
  }

  private flush(): void {
    this.text += this.escapeLiterals ? escapeLiteral(this.pending) : this.pending;
    this.pending = '';
  }
}

/** Nests same-named blocks by their labels from `depth` on, ending in arrays of bodies. */
function nestBlocks(list: BlockEntry[], depth: number): unknown {
  if (list.length === 0 || list[0].labels.length === depth) return list.map((b) => b.body);
  const groups = new Map<string, BlockEntry[]>();
  for (const entry of list) {
    const label = entry.labels[depth];
    const group = groups.get(label);
    if (group) group.push(entry);
    else groups.set(label, [entry]);
  }
  return sortedObject([...groups].map(([label, group]): [string, unknown] => [label, nestBlocks(group, depth + 1)]));
}
