/**
 * How a tool's output object looks in a terminal. Generic on purpose: every tool's output is a
 * zod-typed object, so scalars become `key: value` lines, arrays of objects aligned tables, and
 * nested objects indented blocks, in the order the schema declares them. `--json` bypasses all this.
 */

export interface RenderOptions {
  /** Terminal width; wide table cells are cut to fit. Infinity when stdout is not a terminal. */
  width: number;
}

type Row = Record<string, unknown>;

/** A column is never cut narrower than this (or its header): below it, rows switch to blocks. */
const MIN_COLUMN = 8;
const GAP = '  ';

export function renderJson(value: unknown): string {
  // DuckDB hands out bigints; JSON has no such thing.
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? bigintToJson(v) : v), 2)}\n`;
}

function bigintToJson(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

export function renderHuman(value: unknown, options: RenderOptions): string {
  if (!isPlainObject(value)) return `${formatScalar(value, true)}\n`;
  return `${renderObject(value, options, '').join('\n')}\n`;
}

function renderObject(object: Row, options: RenderOptions, indent: string): string[] {
  const blocks: string[][] = [];
  let pairs: Array<[string, string]> = [];
  const flushPairs = () => {
    if (pairs.length === 0) return;
    const keyWidth = Math.max(...pairs.map(([key]) => key.length));
    blocks.push(pairs.map(([key, text]) => `${indent}${`${key}:`.padEnd(keyWidth + 1)} ${text}`));
    pairs = [];
  };

  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) {
      flushPairs();
      const table = renderTable(value, { width: options.width - indent.length });
      blocks.push([
        `${indent}${key} (${value.length}):`,
        ...table.split('\n').map((line) => `${indent}${line}`),
      ]);
    } else if (isPlainObject(value) && indent.length < 4) {
      flushPairs();
      blocks.push([`${indent}${key}:`, ...renderObject(value, options, `${indent}  `)]);
    } else if (typeof value === 'string' && value.includes('\n')) {
      flushPairs();
      blocks.push([
        `${indent}${key}:`,
        ...sanitize(value, true)
          .split('\n')
          .map((line) => `${indent}  ${line}`),
      ]);
    } else {
      pairs.push([key, formatPairValue(value)]);
    }
  }
  flushPairs();
  return blocks
    .map((block) => block.join('\n'))
    .join('\n\n')
    .split('\n');
}

function formatPairValue(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '(none)';
    return value.map((item) => formatScalar(item, false)).join(', ');
  }
  return formatScalar(value, true);
}

/**
 * An aligned table; `columns` defaults to every key in order of first appearance. When even
 * narrowed columns cannot fit the width, each row becomes a block of `key: value` lines instead
 * (psql's expanded mode): a profile with a dozen columns stays readable in 80 characters.
 */
export function renderTable(
  rows: readonly Row[],
  options: RenderOptions & { columns?: readonly string[] },
): string {
  const columns = options.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => columns.map((column) => formatScalar(row[column], false)));
  const numeric = columns.map((column) => rows.every((row) => row[column] == null || isNumber(row[column])));
  const natural = columns.map((column, i) =>
    Math.max(column.length, ...cells.map((line) => line[i]?.length ?? 0)),
  );
  // Numbers are never cut (19999… is a lie); text is cut down to MIN_COLUMN or its header.
  const floors = columns.map((column, i) => {
    const numbers = rows.map((row, r) => (isNumber(row[column]) ? (cells[r]?.[i]?.length ?? 0) : 0));
    return Math.max(Math.min(natural[i] ?? 0, Math.max(MIN_COLUMN, column.length)), ...numbers);
  });
  const widths = fitWidths(natural, floors, options.width - GAP.length * (columns.length - 1));
  if (!widths) return renderRecords(columns, cells, options.width);

  const line = (values: readonly string[]) =>
    values
      .map((text, i) => {
        const width = widths[i] ?? 0;
        const cut = cutTo(text, width);
        return numeric[i] ? cut.padStart(width) : cut.padEnd(width);
      })
      .join(GAP)
      .trimEnd();
  return [line(columns.map((column) => column.toUpperCase())), ...cells.map(line)].join('\n');
}

/**
 * The largest cap on column width such that the table fits; columns under the cap keep theirs,
 * none goes under its floor. Undefined when the floors alone are too wide.
 */
function fitWidths(
  natural: readonly number[],
  floors: readonly number[],
  room: number,
): number[] | undefined {
  const sum = (widths: readonly number[]) => widths.reduce((total, w) => total + w, 0);
  if (!Number.isFinite(room) || sum(natural) <= room) return [...natural];
  if (sum(floors) > room) return undefined;
  const capped = (cap: number) => natural.map((w, i) => Math.max(floors[i] ?? 0, Math.min(w, cap)));
  let cap = Math.max(...natural);
  while (cap > MIN_COLUMN && sum(capped(cap)) > room) cap -= 1;
  return capped(cap);
}

function renderRecords(columns: readonly string[], cells: readonly string[][], width: number): string {
  const keyWidth = Math.max(...columns.map((column) => column.length)) + 1;
  const room = Math.max(MIN_COLUMN, width - keyWidth - 3);
  return cells
    .map((values, row) =>
      [
        `[${row + 1}]`,
        // Empty cells say nothing in a block; they are left out.
        ...columns.flatMap((column, i) =>
          values[i] ? [`  ${`${column}:`.padEnd(keyWidth)} ${cutTo(values[i], room)}`] : [],
        ),
      ].join('\n'),
    )
    .join('\n');
}

function cutTo(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function formatScalar(value: unknown, keepNewlines: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return sanitize(value, keepNewlines);
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return sanitize(formatNested(value), false);
}

/**
 * Cells carry data from files and servers: strip escape sequences and control characters so a
 * value cannot move the cursor or recolour the terminal; inside tables newlines become spaces.
 */
export function sanitize(text: string, keepNewlines: boolean): string {
  let out = '';
  let inEscape = false;
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (inEscape) {
      // CSI sequences end with a letter (or @ ~ etc.: 0x40-0x7e) after their parameters.
      if (code >= 0x40 && code <= 0x7e && char !== '[') inEscape = false;
      continue;
    }
    if (code === 0x1b) inEscape = true;
    else if (char === '\n') out += keepNewlines ? '\n' : ' ';
    else if (char === '\t') out += ' ';
    else if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0)) out += char;
  }
  return out;
}

/** Objects inside a cell, for people: `p05=1.5 p50=3`, `(value=a count=3), (value=b count=1)`. */
function formatNested(value: unknown): string {
  if (Array.isArray(value))
    return value
      .map((item) => (isPlainObject(item) ? `(${formatNested(item)})` : formatNested(item)))
      .join(', ');
  if (isPlainObject(value)) {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(
        ([k, v]) => `${k}=${isPlainObject(v) || Array.isArray(v) ? `[${formatNested(v)}]` : formatNested(v)}`,
      )
      .join(' ');
  }
  return formatScalar(value, false);
}

/** People read 0.7071, not 0.7071067811865476; --json keeps every digit. */
function formatNumber(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  if (Math.abs(value) < 0.001) return value.toPrecision(3);
  return String(Math.round(value * 10_000) / 10_000);
}

function isNumber(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint';
}

function isPlainObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
