/**
 * Notebooks as data: markdown and code cells, the Python snippets they are made of
 * (templates/notebooks/*.py, Jupytext percent form) and the nbformat 4.5 JSON written to disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../core/errors.js';

export type Cell = { kind: 'markdown'; text: string } | { kind: 'code'; code: string; tags?: string[] };

export const markdown = (...lines: string[]): Cell => ({ kind: 'markdown', text: lines.join('\n') });
export const code = (text: string, tags?: string[]): Cell => ({
  kind: 'code',
  code: text,
  ...(tags ? { tags } : {}),
});

export type SnippetFile = 'common' | 'eda' | 'engineering' | 'features' | 'model' | 'debug';

const snippets = new Map<SnippetFile, Map<string, string>>();

/** The code of snippet `name` in templates/notebooks/<file>.py. */
export function snippet(file: SnippetFile, name: string): string {
  let named = snippets.get(file);
  if (!named) {
    named = parseSnippets(readFileSync(templatePath(`${file}.py`), 'utf8'));
    snippets.set(file, named);
  }
  const text = named.get(name);
  if (text === undefined)
    throw new ToolError('internal', `No snippet "${name}" in templates/notebooks/${file}.py`);
  return text;
}

/** `# %% name` starts a snippet; comments before the first one describe the file. */
export function parseSnippets(source: string): Map<string, string> {
  const named = new Map<string, string>();
  let current: { name: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) named.set(current.name, current.lines.join('\n').trim());
  };
  for (const line of source.split(/\r?\n/)) {
    const header = /^# %% ([\w-]+)\s*$/.exec(line);
    if (header?.[1]) {
      flush();
      current = { name: header[1], lines: [] };
    } else {
      current?.lines.push(line);
    }
  }
  flush();
  return named;
}

/** templates/ sits at the repository root: two folders up from source, three from dist/. */
function templatePath(file: string): string {
  const candidates = [
    new URL(`../../templates/notebooks/${file}`, import.meta.url),
    new URL(`../../../templates/notebooks/${file}`, import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new ToolError(
      'internal',
      `Notebook template ${file} is missing (looked in ${candidates.join(', ')})`,
    );
  return found;
}

/** nbformat 4.5 JSON, one-space indented like Jupyter writes it; cell ids are stable. */
export function notebookJson(cells: readonly Cell[], metadata: Record<string, unknown>): string {
  const json = {
    cells: cells.map((cell, index) => {
      const id = `${cell.kind === 'code' ? 'code' : 'md'}-${String(index + 1).padStart(3, '0')}`;
      const source = sourceLines(cell.kind === 'code' ? cell.code : cell.text);
      if (cell.kind === 'markdown') return { cell_type: 'markdown', id, metadata: {}, source };
      return {
        cell_type: 'code',
        execution_count: null,
        id,
        metadata: cell.tags ? { tags: cell.tags } : {},
        outputs: [],
        source,
      };
    }),
    metadata: {
      kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' },
      language_info: { name: 'python', pygments_lexer: 'ipython3' },
      ...metadata,
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(json, null, 1)}\n`;
}

/** Jupyter stores source as lines that keep their newline, all but the last. */
function sourceLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
}

// Python literals: JSON strings are valid Python strings (the same escapes), so names with
// quotes, backslashes or any Unicode stay exact.
export const pyString = (value: string): string => JSON.stringify(value);
export const pyList = (values: readonly string[]): string => `[${values.map(pyString).join(', ')}]`;
export const pyOptional = (value: string | undefined): string =>
  value === undefined ? 'None' : pyString(value);

export function pyValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyValue).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyValue(v)}`).join(', ')}}`;
}

/** A column name as inline markdown code, whatever characters it holds. */
export function mdName(name: string): string {
  const flat = name.replace(/[\r\n]+/g, ' ');
  const fence = flat.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${flat}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** `a`, `b` and `c`; long lists end with "and N more". */
export function mdNames(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map(mdName);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1) ?? ''}`;
}
