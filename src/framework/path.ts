/**
 * A path is data: pattern, typed fields, operations, existence check, help.
 * Handlers receive their fields already validated and typed.
 */
import type { FieldData, Fields } from './fields.js';
import type { LogicalRequest, LogicalResponse, Operation } from './logical.js';

export type Handler<F extends Fields> = (
  req: LogicalRequest,
  data: FieldData<F>,
) => Promise<LogicalResponse | void>;

export interface PathDef<F extends Fields = Fields> {
  pattern: string;
  fields?: F;
  operations: Partial<Record<Exclude<Operation, 'help' | 'header'>, Handler<F>>>;
  /** Decides create vs update for POST/PUT; without it a write is always `update`. */
  existenceCheck?: (req: LogicalRequest, data: FieldData<F>) => Promise<boolean>;
  synopsis?: string;
  description?: string;
  /** The body is the secret itself (KV v1, cubbyhole): no unknown-field warnings. */
  arbitraryData?: boolean;
}

/** Identity function that lets TypeScript infer handler data types from `fields`. */
export function path<F extends Fields>(def: PathDef<F>): PathDef<F> {
  return def;
}
