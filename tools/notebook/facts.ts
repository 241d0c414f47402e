/**
 * What a notebook needs to know about its dataset, learnt with DuckDB before a line of Python is
 * written: query_profile's per-column profile, plus word counts of long text columns and the CSV
 * delimiter. From these each column gets a role (numeric, categorical, text, date, left out) and
 * the target a task type, so the notebook names real columns and fits the right models.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { resolveDataset, type Dataset } from '../query/dataset.js';
import { sqlIdent, sqlString, withConnection } from '../query/duckdb-client.js';
import { plainText } from '../query/format.js';
import { queryProfile } from '../query/profile-dataset.js';
import { columnKind, type ColumnKind } from '../query/profile-sql.js';

export type Role = 'numeric' | 'categorical' | 'text' | 'date' | 'dropped';
export type Task = 'classification' | 'regression';

/** query_profile's column profile (its output schema, less what notebooks do not use). */
interface ProfiledColumn {
  name: string;
  type: string;
  null_count: number;
  null_pct: number;
  distinct?: number;
  min?: number | string;
  max?: number | string;
  mean?: number;
  std?: number;
  quantiles?: { p50?: number };
  top_values?: Array<{ value: string | number | boolean; count: number }>;
}

export interface ColumnFacts extends ProfiledColumn {
  kind: ColumnKind;
  role: Role;
  /** Why a column is left out, or a word on how it is read. */
  note?: string;
  /** Timestamps (not plain dates) also get an hour feature. */
  clock?: boolean;
  /** strptime format of a date held as text ("Jun 12 1998"), which DuckDB did not type itself. */
  dateFormat?: string;
  avgWords?: number;
}

export interface DatasetFacts {
  dataset: Dataset;
  rows: number;
  columns: ColumnFacts[];
  /** The column the data is indexed by in time, when there is one. */
  time?: string;
  /** pandas read options that match how DuckDB read the file. */
  readOptions: { sep?: string; lines?: boolean };
}

/**
 * Date layouts DuckDB's CSV and JSON readers leave as text (they type ISO dates themselves). A text
 * column is a date when one of them parses nearly every value. The codes mean the same to pandas.
 */
const TEXT_DATE_FORMATS = [
  '%b %d %Y',
  '%d %b %Y',
  '%B %d, %Y',
  '%d %B %Y',
  '%m/%d/%Y',
  '%d/%m/%Y',
  '%Y/%m/%d',
  '%d.%m.%Y',
  '%d-%b-%Y',
  '%m/%d/%Y %H:%M',
  '%m/%d/%Y %H:%M:%S',
  '%d/%m/%Y %H:%M',
  '%Y/%m/%d %H:%M:%S',
] as const;
const DATE_PARSE_SHARE = 0.95;

/** Text columns with at most this many distinct values are categories. */
const CATEGORY_MAX = 50;
/** Short text columns up to this many distinct values are categories (one-hot, rare ones pooled). */
const HIGH_CARDINALITY_MAX = 1000;
/** Integer targets with at most this many distinct values are classes. */
const INTEGER_CLASSES_MAX = 20;
/** More classes than this is not a classification target we can help with. */
const CLASSES_MAX = 100;

export async function datasetFacts(ctx: ToolContext, path: string): Promise<DatasetFacts> {
  const dataset = resolveDataset(ctx, path);
  const profile = (await queryProfile.run({ dataset: path, top_n: 10 }, ctx)) as {
    row_count: number;
    columns: ProfiledColumn[];
  };
  const rows = profile.row_count;
  const columns: ColumnFacts[] = profile.columns.map((column) => ({
    ...column,
    kind: columnKind(column.type),
    role: 'dropped',
  }));
  const texts = columns.filter((c) => c.kind === 'text' && (c.distinct ?? 0) > 1 && c.null_count < rows);
  const { words, dates, sep } = await readExtras(ctx, dataset, rows, texts);
  for (const column of columns) {
    const date = dates.get(column.name);
    if (date) Object.assign(column, date);
    else assignRole(column, rows, words.get(column.name));
  }
  const time = columns.find((c) => c.role === 'date')?.name;
  const readOptions =
    dataset.format === 'csv'
      ? sep && sep !== ','
        ? { sep }
        : {}
      : dataset.format === 'json' && /\.(jsonl|ndjson)(\.gz)?$/i.test(dataset.absolute)
        ? { lines: true }
        : {};
  return { dataset, rows, columns, ...(time ? { time } : {}), readOptions };
}

interface Extras {
  words: Map<string, number>;
  dates: Map<string, Pick<ColumnFacts, 'role' | 'dateFormat' | 'clock' | 'min' | 'max' | 'note'>>;
  sep?: string;
}

/** One scan for the text columns: words per value, and which date layout (if any) parses them. */
async function readExtras(
  ctx: ToolContext,
  dataset: Dataset,
  rows: number,
  texts: readonly ColumnFacts[],
): Promise<Extras> {
  return withConnection(ctx, async (connection) => {
    const extras: Extras = { words: new Map(), dates: new Map() };
    if (texts.length > 0) {
      const parts = texts.flatMap((c, i) => {
        // JSON-typed columns print with quotes; the value is what is inside.
        const value = `trim(${sqlIdent(c.name)}::VARCHAR, '"')`;
        // Dates have digits: columns of codes and names skip the parse attempts.
        const datelike = /\d/.test(`${String(c.min)} ${String(c.max)}`);
        return [
          `avg(len(string_split(trim(${value}), ' '))) AS w${i}`,
          ...(datelike ? TEXT_DATE_FORMATS : []).map((format, f) => {
            const parsed = `try_strptime(${value}, ${sqlString(format)})`;
            return `count(${parsed}) AS n${i}_${f}, min(${parsed})::VARCHAR AS lo${i}_${f}, max(${parsed})::VARCHAR AS hi${i}_${f}`;
          }),
        ];
      });
      const reader = await connection.runAndReadAll(`SELECT ${parts.join(', ')} FROM ${dataset.scan}`);
      const row = reader.getRowObjectsJson()[0] ?? {};
      texts.forEach((c, i) => {
        extras.words.set(c.name, Number(row[`w${i}`] ?? 0));
        const parsed = TEXT_DATE_FORMATS.map((format, f) => ({
          format,
          f,
          count: Number(row[`n${i}_${f}`] ?? 0),
        }));
        const best = parsed.sort((a, b) => b.count - a.count)[0];
        if (!best || best.count === 0 || best.count < DATE_PARSE_SHARE * (rows - c.null_count)) return;
        extras.dates.set(c.name, {
          role: 'date',
          dateFormat: best.format,
          clock: best.format.includes('%H'),
          min: plainText(row[`lo${i}_${best.f}`] ?? ''),
          max: plainText(row[`hi${i}_${best.f}`] ?? ''),
          note: `dates written as ${best.format}`,
        });
      });
    }
    if (dataset.format !== 'csv') return extras;
    const reader = await connection.runAndReadAll(
      `SELECT Delimiter FROM sniff_csv(${sqlString(dataset.absolute)})`,
    );
    const sep = reader.getRowObjectsJson()[0]?.Delimiter;
    return typeof sep === 'string' ? { ...extras, sep } : extras;
  });
}

function assignRole(column: ColumnFacts, rows: number, avgWords: number | undefined): void {
  const nonNull = rows - column.null_count;
  const distinct = column.distinct ?? 0;
  const drop = (note: string) => Object.assign(column, { role: 'dropped', note });
  if (nonNull === 0) return void drop('entirely missing');
  if (column.kind !== 'nested' && distinct <= 1) return void drop('a single value');
  switch (column.kind) {
    case 'numeric':
      if (/(^|[^a-z])id$/i.test(column.name) && distinct === nonNull && /INT/i.test(column.type)) {
        return void drop('identifier: unique integers');
      }
      column.role = 'numeric';
      return;
    case 'boolean':
      column.role = 'categorical';
      return;
    case 'temporal':
      if (/^TIME\b/i.test(column.type) && !/^TIMESTAMP/i.test(column.type)) return void drop('a time of day');
      column.role = 'date';
      column.clock = /^TIMESTAMP/i.test(column.type);
      return;
    case 'text':
      if (distinct <= CATEGORY_MAX) {
        column.role = 'categorical';
      } else if ((avgWords ?? 0) >= 3) {
        Object.assign(column, { role: 'text', avgWords, note: 'free text: length counts and TF-IDF' });
      } else if (distinct <= HIGH_CARDINALITY_MAX && distinct <= nonNull / 2) {
        Object.assign(column, { role: 'categorical', note: 'many levels: rare ones pooled' });
      } else {
        drop(`identifier or label: ${distinct.toLocaleString('en-US')} distinct short values`);
      }
      return;
    default:
      drop(`a ${column.type} value`);
  }
}

export function findColumn(facts: DatasetFacts, name: string): ColumnFacts {
  const column = facts.columns.find((c) => c.name === name);
  if (column) return column;
  const names = facts.columns.map((c) => c.name);
  throw new ToolError('invalid_input', `No column "${name}" in ${facts.dataset.display}`, {
    hint: `Columns: ${names.slice(0, 40).join(', ')}${names.length > 40 ? ', …' : ''}`,
  });
}

/**
 * Classification or regression, from the target's data: text and booleans are classes, so are
 * integers with few distinct values; other numbers are a regression. `wanted` overrides it when
 * the data allows. The target's role follows the task.
 */
export function decideTask(facts: DatasetFacts, target: ColumnFacts, wanted?: Task): Task {
  const distinct = target.distinct ?? 0;
  const where = `Target "${target.name}" of ${facts.dataset.display}`;
  const fail = (why: string, hint: string) => new ToolError('invalid_input', `${where} ${why}`, { hint });
  if (target.null_count === facts.rows) throw fail('has no values', 'Pick a column that has values');
  if (distinct <= 1) throw fail('has a single value: nothing to predict', 'Pick a column that varies');
  if (target.kind === 'temporal' || target.kind === 'nested' || target.kind === 'other') {
    throw fail(`is a ${target.type} column`, 'Pick a numeric or categorical target');
  }
  const numeric = target.kind === 'numeric';
  const fewClasses = distinct <= 2 || (/INT/i.test(target.type) && distinct <= INTEGER_CLASSES_MAX);
  const task = wanted ?? (numeric && !fewClasses ? 'regression' : 'classification');
  if (task === 'regression' && !numeric) {
    throw fail(`is ${target.type}, not numeric: it cannot be a regression target`, 'Use task classification');
  }
  if (task === 'classification' && distinct > CLASSES_MAX) {
    throw fail(
      `has ${distinct.toLocaleString('en-US')} distinct values: too many classes`,
      numeric ? 'Use task regression, or pick a column with fewer values' : 'Pick a column with fewer values',
    );
  }
  target.role = task === 'regression' ? 'numeric' : numeric ? 'numeric' : 'categorical';
  delete target.note;
  return task;
}

export function columnsWithRole(facts: DatasetFacts, role: Role): ColumnFacts[] {
  return facts.columns.filter((c) => c.role === role);
}
