/**
 * The registry: every tool of every component, in one list. The CLI command tree, the agent and
 * the MCP server all read it. A new component is a folder with an index.ts added here.
 *
 * Tool modules must stay cheap to import (zod and types only): heavy clients such as DuckDB or the
 * AWS SDK are imported inside `run`, so `datastack tools list` starts fast.
 */
import type { AnyTool } from './core/types.js';
import { selectFrom, toolsetsOf, type ToolFilter } from './select.js';
import { aiTools } from './ai/index.js';
import { airflowTools } from './airflow/index.js';
import { dataTools } from './data/index.js';
import { dremioTools } from './dremio/index.js';
import { edaTools } from './eda/index.js';
import { embulkTools } from './embulk/index.js';
import { envTools } from './env/index.js';
import { experimentTools } from './experiment/index.js';
import { gitTools } from './git/index.js';
import { icebergTools } from './iceberg/index.js';
import { mlflowTools } from './mlflow/index.js';
import { nessieTools } from './nessie/index.js';
import { pipelineTools } from './pipeline/index.js';
import { notebookTools } from './notebook/index.js';
import { projectTools } from './project/index.js';
import { queryTools } from './query/index.js';
import { s3Tools } from './s3/index.js';
import { sparkTools } from './spark/index.js';
import { stackTools } from './stack/index.js';

export const ALL_TOOLS: readonly AnyTool[] = [
  ...queryTools,
  ...s3Tools,
  ...nessieTools,
  ...stackTools,
  ...icebergTools,
  ...edaTools,
  ...notebookTools,
  ...aiTools,
  ...projectTools,
  ...envTools,
  ...mlflowTools,
  ...experimentTools,
  ...gitTools,
  ...dataTools,
  ...dremioTools,
  ...airflowTools,
  ...sparkTools,
  ...embulkTools,
  ...pipelineTools,
];

export { toolsetConfigured, type ToolFilter } from './select.js';

export function selectTools(filter: ToolFilter = {}, tools: readonly AnyTool[] = ALL_TOOLS): AnyTool[] {
  return selectFrom(filter, tools);
}

export function findTool(name: string, tools: readonly AnyTool[] = ALL_TOOLS): AnyTool | undefined {
  return tools.find((tool) => tool.name === name);
}

export function toolsetNames(tools: readonly AnyTool[] = ALL_TOOLS): string[] {
  return toolsetsOf(tools);
}
