/**
 * The analysis as compact text, for a model: one line per column, then the target, the strong
 * correlations and the rule-based findings. Callers fence it: names and values come from the file.
 */
import { formatBytes, formatCount, formatNumber } from '../query/format.js';
import type { Analysis, ColumnSummary } from './analysis.js';
import { pct } from './findings.js';
import type { Finding, ModelAdvice, Suggestion } from './schemas.js';

const MAX_VALUES = 8;
const MAX_CORRELATIONS = 15;

function columnLine(c: ColumnSummary): string {
  const parts = [
    `${formatCount(c.nulls)} missing (${pct(c.nullShare)})`,
    `${c.distinctExact ? '' : '≈'}${formatCount(c.distinct)} distinct`,
  ];
  if (c.min !== undefined) parts.push(`range ${formatNumber(c.min)} … ${formatNumber(c.max)}`);
  if (c.mean !== undefined) parts.push(`mean ${formatNumber(c.mean)}`, `std ${formatNumber(c.std)}`);
  const q = c.quantiles;
  if (q)
    parts.push(
      `p05/25/50/75/95 ${[q.p05, q.p25, q.p50, q.p75, q.p95].map((v) => formatNumber(v)).join('/')}`,
    );
  if (c.skew !== undefined) parts.push(`skew ${c.skew.toFixed(2)}`);
  if (c.outliers !== undefined && c.nonNull > 0) parts.push(`IQR outliers ${pct(c.outliers / c.nonNull)}`);
  if (c.avgLength !== undefined) parts.push(`mean length ${c.avgLength.toFixed(1)}`);
  if (c.values?.length) {
    const shown = c.values.slice(0, MAX_VALUES).map((v) => `${v.value} (${formatCount(v.count)})`);
    parts.push(`values ${shown.join(', ')}${c.values.length > MAX_VALUES ? ', …' : ''}`);
  }
  return `- ${c.name} ${c.type}: ${parts.join('; ')}`;
}

function targetLines(a: Analysis): string[] {
  const t = a.target;
  if (!t) return ['Target: none given'];
  const lines = [`Target: ${t.name}, task ${t.task}${t.timeIndex ? `, time index ${t.timeIndex}` : ''}`];
  if (t.classes)
    lines.push(`Classes: ${t.classes.map((c) => `${c.label} ${formatCount(c.count)}`).join(', ')}`);
  if (t.separation.length)
    lines.push(
      `Class separation (η²): ${t.separation
        .slice(0, MAX_CORRELATIONS)
        .map((s) => `${s.column} ${s.eta2.toFixed(2)}`)
        .join(', ')}`,
    );
  if (t.correlations.length)
    lines.push(
      `Correlation with target: ${t.correlations
        .slice(0, MAX_CORRELATIONS)
        .map((c) => `${c.column} ${c.r.toFixed(2)}`)
        .join(', ')}`,
    );
  return lines;
}

function strongCorrelations(a: Analysis): string[] {
  const pairs: string[] = [];
  const { names, matrix } = a.correlation;
  names.forEach((x, i) =>
    names.forEach((y, j) => {
      const r = matrix[i]?.[j];
      if (j > i && r !== undefined && Math.abs(r) >= 0.5) pairs.push(`${x} ~ ${y} ${r.toFixed(2)}`);
    }),
  );
  return pairs.length ? [`Correlations |r| ≥ 0.5: ${pairs.slice(0, MAX_CORRELATIONS * 2).join(', ')}`] : [];
}

export function profileText(
  a: Analysis,
  rules: { findings: readonly Finding[]; suggestions: readonly Suggestion[]; models: ModelAdvice },
): string {
  return [
    `Dataset ${a.dataset} (${a.format}, ${formatBytes(a.fileBytes)}): ${formatCount(a.rows)} rows, ${a.columns.length} columns`,
    'Columns:',
    ...a.columns.map(columnLine),
    ...targetLines(a),
    ...strongCorrelations(a),
    'Rule-based findings:',
    ...(rules.findings.length
      ? rules.findings.map((f) => `- [${f.severity}] ${f.kind}: ${f.message}`)
      : ['- none']),
    'Rule-based feature suggestions:',
    ...rules.suggestions.map((s) => `- ${s.kind} (${s.columns.join(', ')}): ${s.message}`),
    `Rule-based models: ${rules.models.algorithms.join('; ')}. Metrics: ${rules.models.metrics.join(', ')}. Validation: ${rules.models.validation}`,
  ].join('\n');
}
