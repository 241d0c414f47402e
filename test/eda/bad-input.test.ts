/** eda_generate_report and ai_suggest refuse bad input with an error a person can act on. */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../tools/core/types.js';
import { aiSuggest } from '../../tools/ai/suggest.js';
import { edaGenerateReport } from '../../tools/eda/generate-report.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, callError, type ReportOutput } from './fixtures.js';

let ws: TempWorkspace;
let ctx: ToolContext;

beforeAll(async () => {
  ws = makeWorkspace({
    'data/ok.csv': 'a,b,label\n1,x,yes\n2,y,no\n3,x,no\n',
    'data/notes.txt': 'not a dataset\n',
    'data/broken.json': '{"a": 1, "b": [unclosed\n',
    'data/empty.csv': 'a,b\n',
    'data/hostile.csv':
      '"<img src=x onerror=alert(1)>",label\n"</svg><script>alert(2)</script>",yes\n"x",no\n"x",no\n',
  });
  mkdirSync(join(ws.root, 'data', 'folder.csv'));
  ctx = await contextFor(ws.root);
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
});

describe('eda_generate_report', () => {
  it('names a missing file and points at the dataset list', async () => {
    const error = await callError(edaGenerateReport, { dataset: 'data/nope.csv' }, ctx);
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('Dataset not found: data/nope.csv');
    expect(error.hint).toMatch(/list-datasets/);
  });

  it('lists the columns when the target is not one of them', async () => {
    const error = await callError(edaGenerateReport, { dataset: 'data/ok.csv', target: 'revenue' }, ctx);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('No column "revenue" in data/ok.csv to use as the target');
    expect(error.hint).toBe('Columns: a, b, label');
  });

  it('refuses unsupported formats and folders', async () => {
    const text = await callError(edaGenerateReport, { dataset: 'data/notes.txt' }, ctx);
    expect(text.code).toBe('invalid_input');
    expect(text.message).toMatch(/Unsupported dataset data\/notes\.txt: "\.txt" extension/);
    const folder = await callError(edaGenerateReport, { dataset: 'data/folder.csv' }, ctx);
    expect(folder.message).toMatch(/a folder/);
  });

  it('reports a file that does not parse as a query error', async () => {
    const error = await callError(edaGenerateReport, { dataset: 'data/broken.json' }, ctx);
    expect(error.code).toBe('query_error');
    expect(error.recoverable).toBe(true);
  });

  it('refuses paths outside the workspace and reports that are not HTML', async () => {
    expect((await callError(edaGenerateReport, { dataset: '../../etc/passwd.csv' }, ctx)).code).toBe(
      'outside_workspace',
    );
    expect(
      (await callError(edaGenerateReport, { dataset: 'data/ok.csv', out: '../report.html' }, ctx)).code,
    ).toBe('outside_workspace');
    const notHtml = await callError(edaGenerateReport, { dataset: 'data/ok.csv', out: 'report.pdf' }, ctx);
    expect(notHtml.code).toBe('invalid_input');
    expect(notHtml.hint).toMatch(/\.html/);
  });

  it('validates the input schema', async () => {
    expect((await callError(edaGenerateReport, {}, ctx)).code).toBe('invalid_input');
    expect((await callError(edaGenerateReport, { dataset: 'data/ok.csv', bins: 1 }, ctx)).code).toBe(
      'invalid_input',
    );
  });

  it('still writes a report for an empty file, and says it is empty', async () => {
    const out = await call<ReportOutput>(edaGenerateReport, { dataset: 'data/empty.csv' }, ctx);
    expect(out.rows).toBe(0);
    expect(out.findings.map((f) => f.kind)).toContain('empty_dataset');
  });
});

describe('hostile content', () => {
  it('is escaped in the report: column names and values never become markup', async () => {
    const out = await call<ReportOutput>(
      edaGenerateReport,
      { dataset: 'data/hostile.csv', target: 'label' },
      ctx,
    );
    const html = readFileSync(join(ws.root, out.report), 'utf8');
    expect(html).not.toMatch(/<img|<script|onerror=alert\(1\)>/);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('&#60;/svg&#62;&#60;script&#62;');
    expect(html.match(/<svg/g)?.length).toBe(html.match(/<\/svg>/g)?.length);
  });
});

describe('ai_suggest without a key', () => {
  it('is a config error that points at the rule-based report', async () => {
    const error = await callError(aiSuggest, { dataset: 'data/ok.csv', target: 'label' }, ctx);
    expect(error.code).toBe('config');
    expect(error.recoverable).toBe(false);
    expect(error.message).toMatch(/needs an Anthropic API key/);
    expect(error.hint).toContain('datastack generate eda --dataset data/ok.csv --target label');
    expect(error.hint).toMatch(/ANTHROPIC_API_KEY/);
  });
});
