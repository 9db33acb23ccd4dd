/** Printing a response envelope with -format and -field, Vault's exit codes (1 usage, 2 API). */
import { println, printRaw, type CliContext } from './command.js';
import { json, rawValue, secretField, secretTable, warningsText, type OutputFormat, type Secret } from './format.js';

export function printSecret(ctx: CliContext, secret: Secret, format: OutputFormat, field = ''): number {
  if (field) {
    const value = secretField(secret, field);
    if (value === undefined) { println(ctx.stderr, `Field "${field}" not present in secret`); return 1; }
    printRaw(ctx.stdout, rawValue(value));
    return 0;
  }
  if (format === 'json') { println(ctx.stdout, json(secret)); return 0; }
  const warnings = warningsText(secret.warnings);
  if (warnings) ctx.stderr.write(warnings);
  const table = secretTable(secret);
  if (table) println(ctx.stdout, table);
  return 0;
}

export function printList(ctx: CliContext, keys: string[], format: OutputFormat): number {
  if (format === 'json') { println(ctx.stdout, json(keys)); return 0; }
  println(ctx.stdout, ['Keys', '----', ...[...keys].sort()].join('\n'));
  return 0;
}
