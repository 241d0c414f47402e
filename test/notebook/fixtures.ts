/**
 * Workspaces for the notebook tests, from real data shipped in node_modules (nothing is
 * downloaded): vega-datasets' cars (numeric, JSON → Parquet), penguins (categorical target),
 * Seattle weather (a date index) and flights-3m (3 million rows), and a text dataset made from
 * the package.json files of the installed npm packages (their descriptions are real prose).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import { invokeTool } from '../../tools/core/invoke.js';
import type { ToolContext } from '../../tools/core/types.js';
import { notebookExecute } from '../../tools/notebook/execute-notebook.js';
import { notebookGenerate } from '../../tools/notebook/generate-notebook.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
export const VEGA_DATA = join(NODE_MODULES, 'vega-datasets', 'data');

export interface GenerateOutput {
  path: string;
  analysis: string;
  dataset: string;
  rows: number;
  cells: number;
  columns: Array<{ name: string; role: string; note?: string }>;
  target?: string;
  task?: 'classification' | 'regression';
  time_column?: string;
  model_file?: string;
  executed: boolean;
  executed_cells?: number;
  errors?: Array<{ cell: number; ename: string; evalue: string; traceback: string; source: string }>;
  elapsed_ms: number;
}

export interface Notebook {
  cells: Array<{ cell_type: string; source: string[]; outputs?: Array<Record<string, unknown>> }>;
  metadata: Record<string, unknown>;
  nbformat: number;
}

/** A workspace with the datasets under data/. cars.json is converted to Parquet with DuckDB. */
export async function makeNotebookWorkspace(files: readonly string[]): Promise<TempWorkspace> {
  const ws = makeWorkspace();
  mkdirSync(join(ws.root, 'data'), { recursive: true });
  for (const file of files) {
    if (file === 'cars.parquet')
      await jsonToParquet(join(VEGA_DATA, 'cars.json'), join(ws.root, 'data', file));
    else if (file === 'packages.csv') writeFileSync(join(ws.root, 'data', file), packagesCsv());
    else copyFileSync(join(VEGA_DATA, file), join(ws.root, 'data', file));
  }
  return ws;
}

async function jsonToParquet(from: string, to: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (SELECT * FROM read_json('${from}')) TO '${to}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** One row per installed npm package: its description is free text, its license a category. */
export function packagesCsv(): string {
  const rows: string[][] = [
    ['name', 'description', 'license', 'module_type', 'dependencies', 'keywords', 'has_types'],
  ];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry.startsWith('.')) continue;
      const folder = join(dir, entry);
      if (entry.startsWith('@')) {
        visit(folder);
        continue;
      }
      const manifest = join(folder, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
      if (typeof pkg.description !== 'string' || pkg.description.trim() === '') continue;
      rows.push([
        typeof pkg.name === 'string' ? pkg.name : entry,
        pkg.description.replace(/\s+/g, ' ').trim(),
        typeof pkg.license === 'string' ? pkg.license : '',
        pkg.type === 'module' ? 'module' : 'commonjs',
        String(Object.keys((pkg.dependencies as object | undefined) ?? {}).length),
        String(Array.isArray(pkg.keywords) ? pkg.keywords.length : 0),
        String(Boolean(pkg.types ?? pkg.typings)),
      ]);
    }
  };
  visit(NODE_MODULES);
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export async function generate(ctx: ToolContext, input: Record<string, unknown>): Promise<GenerateOutput> {
  const outcome = await invokeTool(notebookGenerate, input, ctx);
  if (!outcome.ok)
    throw new Error(`notebook_generate failed: ${outcome.error.code}: ${outcome.error.toLine()}`);
  return outcome.output as unknown as GenerateOutput;
}

export async function generateError(ctx: ToolContext, input: Record<string, unknown>) {
  const outcome = await invokeTool(notebookGenerate, input, ctx);
  if (outcome.ok)
    throw new Error(`expected notebook_generate to fail, got ${JSON.stringify(outcome.output)}`);
  return outcome.error;
}

export async function execute(ctx: ToolContext, input: Record<string, unknown>) {
  const outcome = await invokeTool(notebookExecute, input, ctx);
  if (!outcome.ok) throw new Error(`notebook_execute failed: ${outcome.error.toLine()}`);
  return outcome.output as {
    ok: boolean;
    cells: number;
    executed_cells: number;
    error?: { cell: number; ename: string; evalue: string };
  };
}

export function readNotebook(ws: TempWorkspace, path: string): Notebook {
  return JSON.parse(readFileSync(join(ws.root, path), 'utf8')) as Notebook;
}

export const textOf = (notebook: Notebook, type?: 'markdown' | 'code'): string =>
  notebook.cells
    .filter((cell) => !type || cell.cell_type === type)
    .map((cell) => cell.source.join(''))
    .join('\n');

/** Markdown headings (## …) in order. */
export const headings = (notebook: Notebook): string[] =>
  textOf(notebook, 'markdown')
    .split('\n')
    .filter((line) => line.startsWith('## '))
    .map((line) => line.slice(3));

/** An executed notebook: no error output, every code cell ran, and images were drawn. */
export function expectExecuted(out: GenerateOutput, notebook: Notebook): void {
  expect(out.errors ?? [], JSON.stringify(out.errors?.[0], null, 1)).toEqual([]);
  expect(out.executed).toBe(true);
  const code = notebook.cells.filter((cell) => cell.cell_type === 'code');
  expect(out.executed_cells).toBe(code.length);
  const outputs = code.flatMap((cell) => cell.outputs ?? []);
  expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
  expect(outputs.some((o) => 'image/png' in ((o.data as Record<string, unknown> | undefined) ?? {}))).toBe(
    true,
  );
  // With the pinned packages a generated notebook runs clean: no deprecation or runtime warnings.
  const warnings = outputs
    .filter((o) => o.output_type === 'stream' && o.name === 'stderr')
    .map((o) => String(Array.isArray(o.text) ? o.text.join('') : o.text));
  expect(warnings.filter((text) => /Warning/.test(text))).toEqual([]);
}
