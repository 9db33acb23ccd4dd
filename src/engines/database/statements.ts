/**
 * Statement templating as Vault's dbutil.QueryHelper does it: each configured statement is
 * split on `;` first (so a generated password can never split a query), then `{{name}}`,
 * `{{username}}`, `{{password}}` and `{{expiration}}` are substituted literally.
 * A statement holding a dollar-quoted block (`$$`) is kept whole.
 */
import { InvalidRequest } from '../../errors.js';

export type StatementVars = Partial<Record<'name' | 'username' | 'password' | 'expiration', string>>;

export function splitStatements(statements: readonly string[]): string[] {
  const out: string[] = [];
  for (const statement of statements) {
    const parts = statement.includes('$$') ? [statement] : statement.split(';');
    for (const part of parts) {
      const trimmed = part.trim();
      if (trimmed !== '') out.push(trimmed);
    }
  }
  return out;
}

export function renderStatement(statement: string, vars: StatementVars): string {
  return statement.replace(/\{\{\s*(name|username|password|expiration)\s*\}\}/g, (match, key: keyof StatementVars) => vars[key] ?? match);
}

/** Split, then substitute: the queries to run, in order. */
export function renderStatements(statements: readonly string[], vars: StatementVars): string[] {
  return splitStatements(statements).map((s) => renderStatement(s, vars));
}

/** Vault's `{{expiration}}` layout: "2006-01-02 15:04:05-0700", here always in UTC. */
export function formatExpiration(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+0000`;
}

/**
 * Statement fields are Vault's TypeStringSlice: a string is one statement (commas are SQL, not
 * separators), a list is several. Undefined stays undefined so updates can keep old values.
 */
export function statementList(raw: unknown, field: string): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw.trim() === '' ? [] : [raw];
  if (Array.isArray(raw) && raw.every((s) => typeof s === 'string')) return raw.filter((s) => s.trim() !== '');
  throw new InvalidRequest(`error converting input for field "${field}": expected a string or a list of strings`);
}
