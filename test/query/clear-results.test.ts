import { existsSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokeTool, outputText } from '../../tools/core/invoke.js';
import type { ConfirmRequest, ToolContext } from '../../tools/core/types.js';
import { clearSummary, queryClearResults } from '../../tools/query/clear-results.js';
import { querySql } from '../../tools/query/run-sql.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call } from './fixtures.js';

type ClearOutput = {
  files: Array<{ path: string; bytes: number; modified: string }>;
  count: number;
  bytes: number;
  dry_run: boolean;
};

let ws: TempWorkspace;
let ctx: ToolContext;
const asked: ConfirmRequest[] = [];
let results: string;

const DAY = 86_400;

beforeEach(async () => {
  ws = makeWorkspace({ 'keep.csv': 'a\n1\n', '.datastack/keep.txt': 'not a result\n' });
  asked.length = 0;
  ctx = await contextFor(ws.root, {
    confirm: (request) => {
      asked.push(request);
      return Promise.resolve(true);
    },
  });
  results = ctx.sink.dir;
  // Two real results from query_sql, and one made 10 days old.
  await call(querySql, { sql: 'select range as i from range(1000)', save_as: 'parquet' }, ctx);
  await call(querySql, { sql: 'select range as i from range(10)', save_as: 'csv' }, ctx);
  const old = join(results, 'old', 'query-old.csv');
  mkdirSync(join(results, 'old'), { recursive: true });
  writeFileSync(old, 'i\n1\n');
  const past = Date.now() / 1000 - 10 * DAY;
  utimesSync(old, past, past);
});
afterEach(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
});

const allFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name));

describe('query_clear_results', () => {
  it('a dry run lists the files and deletes nothing', async () => {
    const before = allFiles(results);
    expect(before).toHaveLength(3);
    const out = await call<ClearOutput>(queryClearResults, { dry_run: true }, ctx);
    expect(out.dry_run).toBe(true);
    expect(out.count).toBe(3);
    expect(out.bytes).toBeGreaterThan(0);
    expect(out.files.map((f) => f.path).every((p) => p.startsWith('.datastack/results/'))).toBe(true);
    expect(allFiles(results)).toEqual(before);
    expect(outputText(queryClearResults, out)).toMatch(
      /^Dry run: would delete 3 files \(.+\); nothing deleted\./,
    );
  });

  it('deletes only files older than N days when asked', async () => {
    const out = await call<ClearOutput>(queryClearResults, { older_than_days: 5 }, ctx);
    expect(out.files.map((f) => f.path)).toEqual(['.datastack/results/old/query-old.csv']);
    expect(allFiles(results)).toHaveLength(2);
    expect(existsSync(join(results, 'old'))).toBe(false);
  });

  it('deletes every result and nothing outside the results folder', async () => {
    const out = await call<ClearOutput>(queryClearResults, {}, ctx);
    expect(out.count).toBe(3);
    expect(allFiles(results)).toEqual([]);
    expect(existsSync(join(ws.root, 'keep.csv'))).toBe(true);
    expect(existsSync(join(ws.root, '.datastack', 'keep.txt'))).toBe(true);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.tool).toBe('query_clear_results');
    expect(outputText(queryClearResults, out)).toMatch(/^Deleted 3 files/);
  });

  it('does not follow links out of the results folder', async () => {
    const outside = makeWorkspace({ 'precious.csv': 'a\n1\n' });
    try {
      symlinkSync(outside.root, join(results, 'link'));
      const out = await call<ClearOutput>(queryClearResults, {}, ctx);
      expect(out.files.map((f) => f.path)).toContain('.datastack/results/link');
      expect(existsSync(join(outside.root, 'precious.csv'))).toBe(true);
    } finally {
      outside.cleanup();
    }
  });

  it('is destructive: declined without confirmation, summary counts files and bytes', async () => {
    expect(queryClearResults.annotations).toMatchObject({ destructive: true, readOnly: false });
    const declining = await contextFor(ws.root, { clients: ctx.clients });
    const outcome = await invokeTool(queryClearResults, {}, declining);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.error.code).toBe('refused');
    expect(allFiles(results)).toHaveLength(3);
    expect(clearSummary({ dry_run: false }, ctx)).toMatch(
      /^Delete 3 result files \(\d+(\.\d)? (B|KB)\) under \.datastack\/results$/,
    );
    expect(clearSummary({ dry_run: false, older_than_days: 5 }, ctx)).toMatch(
      /^Delete 1 result file .* older than 5 days$/,
    );
  });
});
