/**
 * Names the Iceberg tools take: namespaces and tables written with dots (`sales` or
 * `sales.eu.orders`), and Nessie references. Checked by the input schemas, so a bad name is an
 * `invalid_input` result before any request is made.
 */
import { z } from 'zod';

/** One level of a namespace, or a table name: letters, digits, `_` and `-`, not starting with `-`. */
const LEVEL = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,127}$/;
const LEVEL_RULE = 'letters, digits, _ and - (not first), at most 128 characters';

/** Nessie's rule for reference names (branches and tags), from its REST API v2. */
const REF = /^[A-Za-z](((?![.][.])[A-Za-z0-9./_-])*[A-Za-z0-9._-])?$/;

function levelsOk(value: string): boolean {
  return value.split('.').every((level) => LEVEL.test(level));
}

export const NamespaceField = z
  .string()
  .min(1)
  .refine(levelsOk, { message: `namespace levels are separated by dots and use ${LEVEL_RULE}` })
  .describe("Namespace, levels separated by dots, e.g. 'lake' or 'sales.eu'");

export const TableField = z
  .string()
  .min(3)
  .refine((value) => value.includes('.') && levelsOk(value), {
    message: `give the table as namespace.table, each part using ${LEVEL_RULE}`,
  })
  .describe("Table as namespace.table, e.g. 'lake.weather' or 'sales.eu.orders'");

export const RefField = z
  .string()
  .min(1)
  .max(256)
  .regex(REF, 'not a valid Nessie branch or tag name')
  .optional()
  .describe('Nessie branch or tag to work on (default: the catalog’s default branch); Nessie catalogs only');

export interface TableName {
  namespace: string[];
  name: string;
  /** The dotted form, for messages. */
  full: string;
}

export function parseNamespace(value: string): string[] {
  return value.split('.');
}

export function parseTable(value: string): TableName {
  const parts = value.split('.');
  const name = parts.pop() ?? '';
  return { namespace: parts, name, full: value };
}

/** `on branch x` for messages, or nothing on the default branch. */
export function onRef(ref: string | undefined): string {
  return ref ? ` on ${ref}` : '';
}

/** ` --ref x` for the CLI hints. */
export function refFlag(ref: string | undefined): string {
  return ref ? ` --ref ${ref}` : '';
}
