/**
 * Helpers for the data tests: git repositories in temporary workspaces with DVC from the shared
 * venv (installed there once, like `datastack init --dvc`), real vega datasets, and rows cut out of
 * them to make a second version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
export { call, callError, git, makeRepo } from '../git/fixtures.js';

export const VEGA_DATA = fileURLToPath(new URL('../../node_modules/vega-datasets/data', import.meta.url));

/** A cold venv installs DVC and dvc-s3 from PyPI first. */
export const DVC_TIMEOUT = 600_000;

/** A vega CSV as text, keeping its header and only the first `rows` data rows when given. */
export function vegaCsv(name: string, rows?: number): string {
  const text = readFileSync(join(VEGA_DATA, name), 'utf8');
  if (rows === undefined) return text;
  const lines = text.split('\n').filter((line) => line !== '');
  return `${lines.slice(0, rows + 1).join('\n')}\n`;
}

export function dataRows(text: string): number {
  return text.split('\n').filter((line) => line !== '').length - 1;
}
