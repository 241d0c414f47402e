/**
 * Finding and editing pipeline files. Edits go through the YAML document, so a user's comments
 * and layout survive `add-stage`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { StageSpec } from './model.js';
import { pipelineFile } from './paths.js';

/** The named pipeline, or the project's only one when no name is given. */
export function choosePipeline(projectDir: string, projectDisplay: string, name: string | undefined): string {
  if (name) return name;
  const folder = join(projectDir, 'pipelines');
  const names = existsSync(folder)
    ? readdirSync(folder)
        .filter((file) => file.endsWith('.yaml'))
        .map((file) => file.slice(0, -5))
    : [];
  if (names.length === 1 && names[0]) return names[0];
  throw new ToolError(
    'invalid_input',
    names.length
      ? `${projectDisplay} has ${names.length} pipelines: say which`
      : `${projectDisplay} has no pipeline yet`,
    {
      hint: names.length
        ? `Pipelines: ${names.join(', ')}`
        : 'Create one: `datastack pipeline create --name NAME` or `datastack generate pipeline --target COLUMN`',
    },
  );
}

/** Written beside and renamed, so a reader never sees half a file. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** A stage as it is written: fields left at their defaults are omitted. */
export function stageForFile(stage: StageSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stage)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0 && key !== 'inputs' && key !== 'outputs') continue;
    if (key === 'params' && Object.keys(value as object).length === 0) continue;
    // A copy: YAML would write one array shared by two stages as an anchor and alias.
    out[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return out;
}

export async function newPipelineText(
  name: string,
  description: string | undefined,
  stages: StageSpec[] = [],
): Promise<string> {
  const { stringify } = await import('yaml');
  const header = [
    `# Pipeline ${name}: run with \`datastack pipeline run ${name}\` (--environment airflow for Airflow).`,
    '# Each stage: name, kind (python | command | notebook | spark | embulk), script / module / command,',
    '# inputs and outputs (paths in the project), params (JSON in DATASTACK_STAGE_PARAMS), optional needs.',
    '# A stage whose inputs, params and code are unchanged since its last success is skipped.',
  ].join('\n');
  const body = stringify(
    { name, ...(description ? { description } : {}), stages: stages.map(stageForFile) },
    { lineWidth: 0 },
  );
  return `${header}\n${body}`;
}

/** Appends a stage, or replaces the one with its name (`replace`), keeping the file's comments. */
export async function putStage(
  projectDir: string,
  pipeline: string,
  stage: StageSpec,
  replace: boolean,
): Promise<void> {
  const file = join(projectDir, pipelineFile(pipeline));
  const { parseDocument, isSeq, isMap } = await import('yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length)
    throw new ToolError(
      'invalid_input',
      `${pipelineFile(pipeline)} is not valid YAML: ${doc.errors[0]?.message ?? ''}`,
    );
  let stages = doc.get('stages', true);
  if (!isSeq(stages)) {
    doc.set('stages', doc.createNode([]));
    stages = doc.get('stages', true);
  }
  if (!isSeq(stages)) throw new ToolError('internal', 'Could not create the stages list');
  // A new file says `stages: []`; stages read better in block style.
  stages.flow = false;
  const node = doc.createNode(stageForFile(stage));
  const at = stages.items.findIndex((item) => isMap(item) && item.get('name') === stage.name);
  if (at >= 0 && !replace) {
    throw new ToolError('conflict', `Pipeline ${pipeline} already has a stage "${stage.name}"`, {
      hint: 'Choose another --name, or pass --force to replace it (its script is rewritten)',
    });
  }
  if (at >= 0) stages.items[at] = node;
  else stages.items.push(node);
  writeAtomic(file, doc.toString({ lineWidth: 0 }));
}
