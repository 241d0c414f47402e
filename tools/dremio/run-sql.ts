import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { DremioSqlOutput, dremioSqlText } from './sql-output.js';

const Input = z.object({
  sql: z
    .string()
    .min(1)
    .describe(
      'Dremio SQL, one statement; quote names with dots or spaces: select * from Samples."samples.dremio.com"."zips.json"',
    ),
  context: z
    .string()
    .optional()
    .describe(
      'Space, source or folder that unqualified names resolve in, written as a path: Samples."samples.dremio.com"',
    ),
  max_rows: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .optional()
    .describe('Rows to return (default: query.max_rows, 50); results are fetched 500 rows per request'),
  save_as: z
    .enum(['parquet', 'csv'])
    .optional()
    .describe('Also fetch every row and write it to a file in .datastack/results; returns its path'),
  timeout_s: z
    .number()
    .int()
    .positive()
    .max(86_400)
    .optional()
    .describe('Give up (and cancel the job on Dremio) after this many seconds (default 300)'),
});

export const dremioSql = defineTool({
  name: 'dremio_sql',
  title: 'Run SQL on Dremio',
  description:
    "Run one SQL query on the profile's Dremio (REST API v3 job: submit, poll, page results). Returns schema, row count and the first rows; save_as writes every row to a file. Read-only unless query.allow_writes. Cancelled on Dremio when interrupted.",
  toolset: 'dremio',
  action: 'sql',
  positional: ['sql'],
  input: Input,
  output: DremioSqlOutput,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
  async run(input, ctx) {
    const { runDremioSql } = await import('./sql-run.js');
    return runDremioSql(input, ctx);
  },
  toText: dremioSqlText,
});
