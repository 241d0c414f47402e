import type { AnyTool } from '../core/types.js';
import { embulkGenerate } from './generate-config.js';
import { dataIngest } from './ingest-data.js';
import { embulkInstall } from './install-embulk.js';
import { embulkPreview } from './preview-config.js';
import { embulkRun } from './run-config.js';
import { embulkValidate } from './validate-config.js';

export { runEmbulk, type EmbulkRunResult } from './run-embulk.js';
export type { EmbulkOptions } from './runner.js';

export const embulkTools: readonly AnyTool[] = [
  embulkGenerate,
  embulkValidate,
  embulkPreview,
  embulkRun,
  embulkInstall,
  dataIngest,
];
