/**
 * The stage templates of templates/pipelines/: real Python scripts copied into the project
 * (`pipelines/NAME/stages/STAGE.py`), with the paths a stage made from each reads and writes
 * when the user names none: what the previous stage wrote, and a conventional place per layer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../core/errors.js';

export const TEMPLATE_NAMES = ['data-cleaning', 'feature-engineering', 'train', 'evaluate'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export const ALGORITHMS = ['random-forest', 'logistic-regression', 'gradient-boosting'] as const;

interface TemplateInfo {
  description: string;
  /** Outputs of a stage `stage` of pipeline `pipeline`. */
  outputs(pipeline: string, stage: string): string[];
  /** Which of the previous stage's outputs it reads by default. */
  takes: 'first' | 'all';
}

export const STAGE_TEMPLATES: Record<TemplateName, TemplateInfo> = {
  'data-cleaning': {
    description: 'drops duplicates, rows without the target and listed columns; fills gaps',
    outputs: (p, s) => [`data/interim/${p}/${s}.csv`],
    takes: 'first',
  },
  'feature-engineering': {
    description: 'date parts, one-hot categories, numeric columns kept',
    outputs: (p, s) => [`data/processed/${p}/${s}.csv`],
    takes: 'first',
  },
  train: {
    description:
      'train/test split and a fitted model (random-forest, logistic-regression, gradient-boosting)',
    outputs: (p) => [`models/${p}/model.pkl`, `data/processed/${p}/test.csv`],
    takes: 'first',
  },
  evaluate: {
    description: 'scores the model on the held-out rows into metrics.json',
    outputs: (p) => [`reports/${p}/metrics.json`],
    takes: 'all',
  },
};

/** The template's Python source, from the repository's templates/pipelines/. */
export function templateSource(name: TemplateName): string {
  const candidates = [
    new URL(`../../templates/pipelines/${name}.py`, import.meta.url),
    new URL(`../../../templates/pipelines/${name}.py`, import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new ToolError(
      'internal',
      `Stage template ${name}.py is missing (looked in ${candidates.join(', ')})`,
    );
  return readFileSync(found, 'utf8');
}
