/**
 * A pipeline as an Airflow DAG file: one BashOperator per stage running the command the local
 * runner runs (stage-command.ts), dependencies from the stage order and `needs`. Manual runs only
 * (schedule=None). Values are written as JSON string literals, which Python reads as its own;
 * commands sit in Jinja raw blocks because BashOperator renders its command as a template.
 */
import { delimiter, isAbsolute, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { LoadedPipeline } from './load-pipeline.js';
import { upstreamOf } from './model.js';
import { shellLine, stageInvocation, type InvocationContext } from './stage-command.js';

/** Airflow dag ids allow letters, digits, _ . - */
export const dagIdFor = (pipeline: string) => `datastack_${pipeline.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
const taskIdFor = (stage: string) => stage.replace(/[^A-Za-z0-9_.-]/g, '_');
const variable = (stage: string) => `t_${stage.replace(/[^A-Za-z0-9_]/g, '_')}`;
const py = (value: string) => JSON.stringify(value);

export function renderDag(
  pipeline: LoadedPipeline,
  at: InvocationContext & { path?: string | undefined },
): string {
  const { spec } = pipeline;
  const dagId = dagIdFor(spec.name);
  const lines = [
    `"""Airflow DAG of DataStack pipeline ${spec.name} (${pipeline.display}).`,
    '',
    `Rendered by \`datastack pipeline run ${spec.name} --environment airflow\`, which rewrites it: edit the`,
    'pipeline file, not this one. Each task runs the same command as the local runner.',
    '"""',
    'from datetime import datetime',
    '',
    'try:',
    '    from airflow.sdk import DAG',
    'except ImportError:  # Airflow 2',
    '    from airflow import DAG',
    'try:',
    '    from airflow.providers.standard.operators.bash import BashOperator',
    'except ImportError:  # Airflow 2',
    '    from airflow.operators.bash import BashOperator',
    '',
    'with DAG(',
    `    dag_id=${py(dagId)},`,
    `    description=${py(spec.description ?? `DataStack pipeline ${spec.name}`)},`,
    '    schedule=None,',
    '    start_date=datetime(2024, 1, 1),',
    '    catchup=False,',
    '    tags=["datastack", "pipeline"],',
    ') as dag:',
  ];
  for (const stage of pipeline.order) {
    const invocation = stageInvocation(stage, at);
    const command = absoluteCommand(invocation.command, at.path);
    lines.push(
      `    ${variable(stage.name)} = BashOperator(`,
      `        task_id=${py(taskIdFor(stage.name))},`,
      `        bash_command=${py(`{% raw %}${shellLine({ ...invocation, command })}{% endraw %}`)},`,
      '    )',
    );
  }
  spec.stages.forEach((stage, index) => {
    for (const parent of upstreamOf(spec, index))
      lines.push(`    ${variable(parent)} >> ${variable(stage.name)}`);
  });
  return `${lines.join('\n')}\n`;
}

export { taskIdFor };

/** Airflow's workers have their own PATH: a bare `python3` or `sh` is pinned to ours. */
function absoluteCommand(command: string, path: string | undefined): string {
  if (isAbsolute(command) || !path) return command;
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return command;
}
