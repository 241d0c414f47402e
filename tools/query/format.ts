/** Compact text renderings of query results for the model: CSV rows, counts with separators. */

/** Longest cell shown in text; the structured output keeps the whole value. */
const MAX_CELL = 200;

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A value as plain text: strings as they are, the rest as JSON. */
export function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = plainText(value);
  if (text.length > MAX_CELL) text = `${text.slice(0, MAX_CELL)}…`;
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV with a header line; empty cells are NULL. */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(columns.map((name) => cell(row[name])).join(','));
  return lines.join('\n');
}

/** A number short enough for a summary line. */
export function formatNumber(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return formatCount(value);
  return Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3
    ? value.toPrecision(4)
    : String(Number(value.toFixed(4)));
}
