/**
 * Key ranges for ordered stores. Databases such as SQLite compare UTF-8 bytes, which orders
 * strings by code point; every key starting with `prefix` then lies in
 * [prefix, prefixSuccessor(prefix)).
 */

/**
 * The smallest string, by code point order, greater than every string that starts with
 * `prefix`: its last code point raised by one (skipping the surrogate block). Undefined when
 * no such string exists (empty prefix, or only U+10FFFF): the range is then unbounded above.
 */
export function prefixSuccessor(prefix: string): string | undefined {
  let end = prefix.length;
  while (end > 0) {
    const low = prefix.charCodeAt(end - 1);
    const pair = end >= 2 && low >= 0xdc00 && low <= 0xdfff && isHighSurrogate(prefix.charCodeAt(end - 2));
    const start = pair ? end - 2 : end - 1;
    const cp = prefix.codePointAt(start)!;
    if (cp < 0x10ffff) {
      const next = cp + 1 === 0xd800 ? 0xe000 : cp + 1;
      return prefix.slice(0, start) + String.fromCodePoint(next);
    }
    end = start;
  }
  return undefined;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
