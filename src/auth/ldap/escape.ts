/** LDAP string escaping (RFC 4515 filters, RFC 4514 DN values), templates and CN extraction. */

/** RFC 4515: `*`, `(`, `)`, `\` and NUL become `\XX`. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** RFC 4514 attribute value: specials backslash-escaped, leading `#`/space and trailing space too. */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Vault's Go-template placeholders: `{{.UserAttr}}`, `{{.Username}}`, `{{.UserDN}}` (values pre-escaped). */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The value of the first CN in a DN, or the input itself when it is not such a DN. */
export function cnOf(value: string): string {
  const first = /^\s*cn\s*=\s*((?:\\.|[^,+\\])*)/i.exec(value);
  if (!first) {
    const anywhere = /(?:^|,)\s*cn\s*=\s*((?:\\.|[^,+\\])*)/i.exec(value);
    if (!anywhere || !value.includes('=')) return value;
    return unescapeDnValue(anywhere[1].trim());
  }
  return unescapeDnValue(first[1].trim());
}

function unescapeDnValue(value: string): string {
  return value.replace(/\\([0-9a-fA-F]{2}|.)/g, (_m, x: string) => (x.length === 2 ? String.fromCharCode(parseInt(x, 16)) : x));
}
