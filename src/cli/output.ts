/** Printing a response envelope with -format and -field, Vault's exit codes (1 usage, 2 API). */
import { println, printRaw, type CliContext } from './command.js';
import { formatValue, goJson, mapTable, secretField, secretJson, secretTable, warningsText, type OutputFormat, type Secret } from './format.js';

/** Vault's PrintRawField: `%v` of the value in table format, its JSON otherwise. */
export function printField(ctx: CliContext, value: unknown, field: string, format: OutputFormat, typeName = 'secret'): number {
  if (value === undefined || value === null) { println(ctx.stderr, `Field ${JSON.stringify(field)} not present in ${typeName}`); return 1; }
  printRaw(ctx.stdout, format === 'json' ? goJson(value) : formatValue(value));
  return 0;
}

export function printSecret(ctx: CliContext, secret: Secret, format: OutputFormat, field = ''): number {
  if (field) {
    if (format === 'table') { const warnings = warningsText(secret.warnings); if (warnings) ctx.stderr.write(warnings); }
    return printField(ctx, secretField(secret, field), field, format);
  }
  if (format === 'json') { println(ctx.stdout, secretJson(secret)); return 0; }
  const warnings = warningsText(secret.warnings);
  if (warnings) ctx.stderr.write(warnings);
  const table = secretTable(secret);
  if (table) println(ctx.stdout, table);
  return 0;
}

/** Vault's OutputData: a Key/Value table of a map, or its JSON. */
export function printData(ctx: CliContext, data: unknown, format: OutputFormat): number {
  if (format === 'json') { println(ctx.stdout, goJson(data)); return 0; }
  const table = mapTable((data ?? {}) as Record<string, unknown>);
  if (table) println(ctx.stdout, table);
  return 0;
}

export function printList(ctx: CliContext, keys: string[], format: OutputFormat): number {
  if (format === 'json') { println(ctx.stdout, goJson(keys)); return 0; }
  println(ctx.stdout, ['Keys', '----', ...[...keys].sort()].join('\n'));
  return 0;
}

/** Vault's printWarnings: to stderr, before the table. */
export function printWarnings(ctx: CliContext, secret: Secret | undefined): void {
  const warnings = warningsText(secret?.warnings);
  if (warnings) ctx.stderr.write(warnings);
}

/** What `kv put`/`kv patch` print for a v2 write: the path and the version metadata. */
export function printWriteMetadata(ctx: CliContext, secret: Secret, format: OutputFormat, field: string, header: (ctx: CliContext) => void): number {
  if (field) return printSecret(ctx, secret, format, field);
  if (secret.wrap_info && secret.wrap_info.ttl !== 0) return printSecret(ctx, secret, format);
  if (format !== 'table') return printSecret(ctx, secret, format);
  header(ctx);
  return printData(ctx, secret.data ?? {}, format);
}
