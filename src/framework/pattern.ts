/**
 * Path patterns: literal segments plus named captures.
 *   `:name`   one segment           `keys/:name`
 *   `:name?`  an optional segment   `export/:type/:name/:version?`
 *   `:name*`  the rest, slashes too `data/:path*`
 * A request matches the pattern with the most literal segments; two patterns of a backend
 * that tie on a sample are a definition error (see `findAmbiguity`).
 */
export interface CompiledPattern {
  source: string;
  regex: RegExp;
  captures: string[];
  literalSegments: number;
  /** The literal text every match starts with (the segments before the first capture): a cheap pre-check. */
  literalPrefix: string;
}

export function compilePattern(source: string): CompiledPattern {
  const captures: string[] = [];
  let literalSegments = 0;
  let regex = '';
  const leading: string[] = [];
  const segments = source === '' ? [] : source.split('/');
  segments.forEach((segment, index) => {
    const slash = index === 0 ? '' : '/';
    const capture = /^:([a-z_][a-z0-9_]*)([?*]?)$/i.exec(segment);
    if (!capture) {
      if (captures.length === 0) leading.push(segment);
      literalSegments++;
      regex += slash + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return;
    }
    const [, name, modifier] = capture;
    captures.push(name);
    if (modifier === '?') regex += `(?:${slash}(?<${name}>[^/]+))?`;
    else if (modifier === '*') regex += `${slash}(?<${name}>.+)`;
    else regex += `${slash}(?<${name}>[^/]+)`;
  });
  return { source, regex: new RegExp(`^${regex}$`), captures, literalSegments, literalPrefix: leading.join('/') };
}

export function matchPattern(pattern: CompiledPattern, path: string): Record<string, string> | undefined {
  const match = pattern.regex.exec(path);
  if (!match) return undefined;
  const out: Record<string, string> = {};
  for (const name of pattern.captures) {
    const value = match.groups?.[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
