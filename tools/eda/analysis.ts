/** What the two scans learn about a dataset: the input of the findings, the advice and the page. */
import type { ColumnKind, QUANTILE_KEYS } from '../query/profile-sql.js';
import type { DatasetFormat } from '../query/dataset.js';
import type { Task } from './schemas.js';

export interface Bin {
  lo: number;
  hi: number;
  count: number;
}

export interface Histogram {
  basis: 'numeric' | 'temporal' | 'length';
  /** One bin per integer value (small integer ranges): bars are labelled by value. */
  unit: boolean;
  bins: Bin[];
}

export interface ValueCount {
  value: string;
  count: number;
}

export interface ColumnSummary {
  name: string;
  type: string;
  kind: ColumnKind;
  nonNull: number;
  nulls: number;
  /** NULLs as a share of rows, 0..1. */
  nullShare: number;
  distinct: number;
  /** False when `distinct` is a HyperLogLog estimate (high-cardinality text and floats). */
  distinctExact: boolean;
  min?: number | string;
  max?: number | string;
  mean?: number;
  std?: number;
  quantiles?: Partial<Record<(typeof QUANTILE_KEYS)[number], number>>;
  skew?: number;
  /** Text: mean, min and max length in characters, share of values holding a space. */
  avgLength?: number;
  minLength?: number;
  maxLength?: number;
  spaceShare?: number;
  /** Dates and timestamps: range in seconds since the epoch. */
  epochMin?: number;
  epochMax?: number;
  /** Integers min…max, each once: an identifier (counted in the second scan). */
  sequential?: boolean;
  /** Values outside the IQR fences (Q1 - 1.5 IQR, Q3 + 1.5 IQR). */
  outliers?: number;
  histogram?: Histogram;
  /** Every value with its count, commonest first (low-cardinality text and booleans). */
  values?: ValueCount[];
}

export interface ClassStats {
  label: string;
  count: number;
  /** Mean of each numeric feature within the class. */
  means: Record<string, number>;
}

export interface TargetAnalysis {
  name: string;
  task: Task;
  /** Class targets with few enough classes: counts and per-class means, commonest first. */
  classes?: ClassStats[];
  /** Pearson r of numeric features with a numeric target. */
  correlations: Array<{ column: string; r: number }>;
  /** Class targets: share of a numeric feature's variance explained by the class (η²). */
  separation: Array<{ column: string; eta2: number }>;
  /** Features constant within every class: a function of the target. */
  functionOfTarget: string[];
  /** Features whose every value belongs to one class: they determine the target. */
  determinesTarget: string[];
  /** Numeric features whose class ranges do not overlap: one threshold separates the classes. */
  separates: string[];
  /** A date/time column holding (nearly) one row per value: the series' time index. */
  timeIndex?: string;
}

export interface Analysis {
  dataset: string;
  format: DatasetFormat;
  fileBytes: number;
  /** Rough in-memory size of the table (column widths and text lengths). */
  memoryBytes: number;
  rows: number;
  columns: ColumnSummary[];
  /** Pearson correlations between numeric columns; `matrix[i][j]` is undefined when not defined. */
  correlation: { names: string[]; matrix: Array<Array<number | undefined>> };
  /** Pairs of columns with identical values in every row. */
  duplicates: Array<[string, string]>;
  target?: TargetAnalysis;
  timings: { schema_ms: number; overview_ms: number; distributions_ms: number };
}
