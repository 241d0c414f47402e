/**
 * eda_generate_report on a generated dataset whose answers are known (see fixtures.ts): every
 * planted problem is found, and the clean columns are not flagged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../tools/core/types.js';
import { edaGenerateReport } from '../../tools/eda/generate-report.js';
import { contextFor } from '../helpers/workspace.js';
import {
  call,
  writeSql,
  KNOWN_ROWS,
  makeEdaWorkspace,
  section,
  count,
  type EdaWorkspace,
  type FindingLike,
  type ReportOutput,
} from './fixtures.js';

let ws: EdaWorkspace;
let ctx: ToolContext;

beforeAll(async () => {
  ws = await makeEdaWorkspace();
  ctx = await contextFor(ws.root);
});
afterAll(async () => {
  await ctx.clients.closeAll();
  ws.cleanup();
});

const about = (findings: readonly FindingLike[], column: string) =>
  findings.filter((f) => f.columns.includes(column));
const kinds = (findings: readonly FindingLike[], column: string) =>
  about(findings, column)
    .map((f) => `${f.severity}:${f.kind}`)
    .sort();

describe('a class target with planted problems', () => {
  let out: ReportOutput;
  let all: FindingLike[];
  beforeAll(async () => {
    out = await call<ReportOutput>(
      edaGenerateReport,
      { dataset: 'data/known.parquet', target: 'label', out: 'reports/known-label.html' },
      ctx,
    );
    all = out.findings;
  });

  it('decides the task and counts the rows', () => {
    expect(out).toMatchObject({
      rows: KNOWN_ROWS,
      columns: 16,
      task: 'classification',
      target: 'label',
      report: 'reports/known-label.html',
    });
    // 16 columns of planted trouble stay within the terminal's cap.
    expect(out.more_findings).toBeUndefined();
  });

  it('flags each kind of leakage, once per column', () => {
    expect(kinds(all, 'label_copy')).toEqual(['critical:leakage']);
    expect(about(all, 'label_copy')[0]?.message).toMatch(/identical to the target/);
    expect(kinds(all, 'label_code')).toEqual(['critical:leakage']);
    expect(about(all, 'label_code')[0]?.message).toMatch(/constant within every class/);
    expect(kinds(all, 'segment')).toEqual(['critical:leakage']);
    expect(about(all, 'segment')[0]?.message).toMatch(/determines the target/);
    // score's yes rows sit 10 above the rest: also skewed with outliers, which is true.
    expect(kinds(all, 'score')).toEqual(['warning:leakage', 'warning:outliers', 'warning:skew']);
    expect(about(all, 'score')[0]?.message).toMatch(/do not overlap on score/);
    // The most severe come first.
    expect(all.slice(0, 3).every((f) => f.severity === 'critical')).toBe(true);
  });

  it('flags the imbalance, the constant, the duplicates and the identifier', () => {
    const imbalance = all.find((f) => f.kind === 'class_imbalance');
    expect(imbalance?.columns).toEqual(['label']);
    expect(imbalance?.message).toMatch(/no 95%.*yes 5\.0%/);
    expect(kinds(all, 'constant')).toEqual(['warning:constant']);
    expect(all.filter((f) => f.kind === 'duplicate_columns').map((f) => f.columns)).toEqual([
      ['x1', 'x1_dup'],
    ]);
    expect(kinds(all, 'id')).toContain('warning:identifier');
    // Same range and count, one repeated value: not an identifier (only its twin's correlation).
    expect(kinds(all, 'near_id')).toEqual(['info:high_correlation']);
    expect(kinds(all, 'amount')).toContain('warning:skew');
  });

  it('leaves the clean columns alone', () => {
    for (const clean of ['x2', 'category', 'day']) expect(about(all, clean), clean).toEqual([]);
    // y and its copy are features here: a pair, not a leak.
    expect(kinds(all, 'y')).toEqual(['info:high_correlation']);
    expect(kinds(all, 'x1')).toEqual(['warning:duplicate_columns']);
  });

  it('suggests encodings and transforms for the right columns', () => {
    const suggestion = (kind: string) => out.suggestions.find((s) => s.kind === kind)?.columns ?? [];
    expect(suggestion('one_hot')).toEqual(expect.arrayContaining(['category', 'segment']));
    expect(suggestion('log_transform')).toContain('amount');
    expect(suggestion('log_transform')).not.toContain('x2');
    expect(suggestion('date_parts')).toEqual(['day']);
    expect(out.models.metrics).toContain('PR-AUC');
    expect(out.models.validation).toMatch(/Stratified/);
  });

  it('draws class balance and per-class separation in the target section', () => {
    const html = ws.read('reports/known-label.html');
    const target = section(html, 'target');
    expect(count(target, '<svg')).toBe(2);
    expect(target).toContain('Class balance');
    expect(target).toMatch(/no<\/text>.*19,000 \(95\.0%\)/s);
    expect(count(section(html, 'findings'), 'class="sev critical"')).toBe(3);
  });
});

describe('a numeric target with a leaked copy', () => {
  let out: ReportOutput;
  beforeAll(async () => {
    out = await call<ReportOutput>(
      edaGenerateReport,
      { dataset: 'data/known.parquet', target: 'y', out: 'reports/known-y.html' },
      ctx,
    );
  });

  it('is a regression whose perfectly correlated copy is a leak', () => {
    expect(out.task).toBe('regression');
    expect(kinds(out.findings, 'y_leak')).toEqual(['critical:leakage']);
    expect(about(out.findings, 'y_leak')[0]?.message).toMatch(/r = 1\.000/);
  });

  it('does not call a merely correlated feature a leak', () => {
    expect(about(out.findings, 'x2')).toEqual([]);
    expect(out.findings.filter((f) => f.kind === 'leakage')).toHaveLength(1);
    // Without a class target, the label and its copy are plain duplicates.
    expect(
      out.findings.find((f) => f.kind === 'duplicate_columns' && f.columns.includes('label'))?.columns,
    ).toEqual(['label', 'label_copy']);
  });

  it('charts the correlation with the target', () => {
    const target = section(ws.read('reports/known-y.html'), 'target');
    expect(count(target, '<svg')).toBe(1);
    expect(target).toContain('Correlation with y');
  });
});

describe('text columns', () => {
  let out: ReportOutput;
  beforeAll(async () => {
    // 20,000 rows: a unique code of 2 to 6 characters, a sentence in 17 lengths, 26 branch codes.
    await writeSql(
      `${ws.root}/data/texts.csv`,
      `SELECT 'C' || range::VARCHAR AS code,
              'the customer wrote ' || repeat('very ', (range % 17)::INTEGER) || 'long notes' AS notes,
              chr(65 + (range % 26)::INTEGER) || 'XY' AS branch,
              (range % 7)::DOUBLE * 1.5 AS amount
       FROM range(20000)`,
    );
    out = await call<ReportOutput>(edaGenerateReport, { dataset: 'data/texts.csv' }, ctx);
  });

  it('calls a unique code an identifier and long sentences free text', () => {
    const id = out.findings.find((f) => f.kind === 'identifier');
    expect(id?.columns).toEqual(['code']);
    expect(id?.message).toMatch(/^Nearly every value \(≈[\d,]+ distinct\) of code is unique/);
    expect(out.suggestions.find((s) => s.kind === 'text_features')?.columns).toEqual(['notes']);
    expect(out.findings.find((f) => f.kind === 'high_cardinality')?.columns).toEqual(['branch']);
    expect(out.task).toBe('exploration');
    expect(out.models.validation).toMatch(/No target given/);
  });

  it('charts text lengths for many-valued text and counts for the rest', () => {
    const columns = section(ws.read(out.report), 'columns');
    expect(columns).toContain('aria-label="Length in characters of code"');
    expect(columns).toContain('aria-label="Commonest values of notes"');
    expect(columns).toContain('aria-label="Commonest values of branch"');
    expect(count(columns, '<svg')).toBe(4);
  });
});
