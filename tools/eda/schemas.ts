/** The zod shapes both EDA faces return (eda_generate_report and ai_suggest): defined once here. */
import { z } from 'zod';

export const TASKS = ['classification', 'regression', 'time_series', 'exploration'] as const;
export type Task = (typeof TASKS)[number];

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DatasetField = z
  .string()
  .min(1)
  .describe("Workspace path of a CSV, Parquet or JSON file, e.g. 'data/sales.csv'");

export const TargetField = z
  .string()
  .min(1)
  .optional()
  .describe('Column to predict; decides the task (classification, regression, time series)');

export const Finding = z.object({
  severity: z.enum(SEVERITIES).describe('critical (fix before modelling), warning, or info'),
  kind: z
    .string()
    .describe('Rule that fired: leakage, constant, duplicate_columns, class_imbalance, skew, outliers, …'),
  columns: z.array(z.string()).describe('Columns concerned'),
  message: z.string().describe('What was found, with the numbers behind it'),
});
export type Finding = z.infer<typeof Finding>;

export const Suggestion = z.object({
  kind: z.string().describe('log_transform, one_hot, target_encode, date_parts, text_features, impute, …'),
  columns: z.array(z.string()).describe('Columns it applies to'),
  message: z.string().describe('What to do and why'),
});
export type Suggestion = z.infer<typeof Suggestion>;

export const ModelAdvice = z.object({
  algorithms: z.array(z.string()).describe('Algorithms that fit the task, baseline first'),
  metrics: z.array(z.string()).describe('Metrics to judge them by'),
  validation: z.string().describe('How to split the data for validation'),
});
export type ModelAdvice = z.infer<typeof ModelAdvice>;

export const TaskField = z.enum(TASKS).describe('Task decided from the target (exploration without one)');

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Most severe first; stable within a severity (rules run in a meaningful order). */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}
