/**
 * The `pipeline` toolset: a project's pipelines (pipelines/NAME.yaml), made from stage templates
 * or generated for a dataset, run locally with a stage cache or on Airflow as a DAG, each stage
 * optionally tracked as an MLflow run.
 */
import type { AnyTool } from '../core/types.js';
import { pipelineAddStage } from './add-stage.js';
import { pipelineCreate } from './create-pipeline.js';
import { pipelineGenerate } from './generate-pipeline.js';
import { pipelineRun } from './run-pipeline.js';
import { pipelineShow } from './show-pipeline.js';

export const pipelineTools: readonly AnyTool[] = [
  pipelineCreate,
  pipelineAddStage,
  pipelineShow,
  pipelineRun,
  pipelineGenerate,
];
