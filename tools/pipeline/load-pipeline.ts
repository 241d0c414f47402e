/**
 * Reading a pipeline file: YAML parsed with positions, checked by the zod schema, then for what a
 * schema cannot say (a script that is missing, an input nothing provides, unknown or circular
 * `needs`). Every problem names its line, so `pipelines/x.yaml:14: ...` leads straight to it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import { PipelineSpec, SCRIPT_WORD, STAGE_KINDS, upstreamOf, type StageSpec } from './model.js';

export interface LoadedPipeline {
  spec: PipelineSpec;
  /** Stages in the order they run (file order, moved only where `needs` asks). */
  order: StageSpec[];
  /** The file, relative to the project, for messages. */
  display: string;
}

type Locate = (path: readonly (string | number)[]) => number | undefined;

export async function loadPipeline(
  projectDir: string,
  file: string,
  display: string,
): Promise<LoadedPipeline> {
  if (!existsSync(file)) {
    throw new ToolError('not_found', `No pipeline file ${display}`, {
      hint: 'Create it with `datastack pipeline create --name NAME` (pipeline_create), or list pipelines/ in the project',
    });
  }
  const { parseDocument, LineCounter, isCollection, isNode } = await import('yaml');
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first?.linePos?.[0]?.line;
    throw invalid(display, line, `is not valid YAML: ${first?.message.split('\n')[0] ?? 'parse error'}`);
  }
  const locate: Locate = (path) => {
    // The deepest node on the path that exists: a missing key is reported at its parent.
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
      if (depth === 0 && isCollection(doc.contents)) return 1;
    }
    return undefined;
  };
  const parsed = PipelineSpec.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => {
      const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
      return `${display}:${locate(path) ?? 1}: ${describeIssue(path, issue.message, issue.code)}`;
    });
    throw new ToolError('invalid_input', `${display} is not a valid pipeline:\n${problems.join('\n')}`, {
      hint: `Stage kinds: ${STAGE_KINDS.join(', ')}. \`datastack pipeline show\` explains a valid file once it loads`,
    });
  }
  const spec = parsed.data;
  checkStages(projectDir, spec, display, locate);
  return { spec, order: runOrder(spec, display, locate), display };
}

function describeIssue(path: readonly (string | number)[], message: string, code: string): string {
  const where = path.length ? path.join('.') : 'the file';
  if (code === 'unrecognized_keys')
    return `${where}: ${message} (fields: name, kind, script, module, command, args, inputs, outputs, params, needs, template)`;
  return `${where}: ${message}`;
}

function invalid(display: string, line: number | undefined, message: string, hint?: string): ToolError {
  return new ToolError('invalid_input', `${display}:${line ?? 1}: ${message}`, {
    hint: hint ?? `Fix ${display} and run again`,
  });
}

function checkStages(projectDir: string, spec: PipelineSpec, display: string, locate: Locate): void {
  const seen = new Set<string>();
  spec.stages.forEach((stage, index) => {
    const at = (...path: (string | number)[]) => locate(['stages', index, ...path]);
    if (seen.has(stage.name)) throw invalid(display, at('name'), `two stages are named "${stage.name}"`);
    seen.add(stage.name);
    if (
      stage.kind === 'command' ? !stage.command : !(stage.script || (stage.kind === 'python' && stage.module))
    ) {
      throw invalid(
        display,
        at('kind'),
        `stage "${stage.name}" (${stage.kind}) needs ${SCRIPT_WORD[stage.kind]}`,
        stage.kind === 'command' ? 'Add `command: "…"`' : 'Add `script: path/in/the/project`',
      );
    }
    if (stage.script && !existsSync(join(projectDir, stage.script))) {
      throw invalid(
        display,
        at('script'),
        `stage "${stage.name}": ${stage.script} does not exist in the project`,
        'Write the file, or add the stage from a template: `datastack pipeline add-stage --template data-cleaning`',
      );
    }
    for (const [n, need] of (stage.needs ?? []).entries()) {
      if (!spec.stages.some((other) => other.name === need)) {
        throw invalid(
          display,
          at('needs', n),
          `stage "${stage.name}" needs "${need}", which is not a stage of this pipeline`,
        );
      }
    }
  });
  const ancestors = ancestorsOf(spec);
  spec.stages.forEach((stage, index) => {
    stage.inputs.forEach((input, n) => {
      const producer = spec.stages.find((other) => other.outputs.some((output) => covers(output, input)));
      if (producer && producer.name !== stage.name && !ancestors.get(stage.name)?.has(producer.name)) {
        throw invalid(
          display,
          locate(['stages', index, 'inputs', n]),
          `stage "${stage.name}" reads ${input}, which stage "${producer.name}" writes, but does not run after it`,
          `Move "${stage.name}" after "${producer.name}" or add it to needs`,
        );
      }
      if (!producer && !existsSync(join(projectDir, input))) {
        throw invalid(
          display,
          locate(['stages', index, 'inputs', n]),
          `stage "${stage.name}" reads ${input}: no earlier stage writes it and no such file is in the project`,
          'Fix the path (relative to the project folder), add the file, or add a stage that writes it',
        );
      }
    });
  });
}

/** An output folder provides every file under it. */
function covers(output: string, input: string): boolean {
  const clean = (path: string) => path.replace(/^\.\//, '').replace(/\/+$/, '');
  return clean(input) === clean(output) || clean(input).startsWith(`${clean(output)}/`);
}

function ancestorsOf(spec: PipelineSpec): Map<string, Set<string>> {
  const direct = new Map(spec.stages.map((stage, index) => [stage.name, upstreamOf(spec, index)]));
  const result = new Map<string, Set<string>>();
  const visit = (name: string, trail: Set<string>): Set<string> => {
    const known = result.get(name);
    if (known) return known;
    const all = new Set<string>();
    if (trail.has(name)) return all; // a cycle: runOrder reports it with its line
    trail.add(name);
    for (const parent of direct.get(name) ?? []) {
      all.add(parent);
      for (const grand of visit(parent, trail)) all.add(grand);
    }
    trail.delete(name);
    result.set(name, all);
    return all;
  };
  for (const stage of spec.stages) visit(stage.name, new Set());
  return result;
}

/** File order, except that a stage waits for its `needs`; a cycle is an error naming it. */
function runOrder(spec: PipelineSpec, display: string, locate: Locate): StageSpec[] {
  const done = new Set<string>();
  const order: StageSpec[] = [];
  const pending = spec.stages.map((stage, index) => ({ stage, index, upstream: upstreamOf(spec, index) }));
  while (pending.length > 0) {
    const next = pending.findIndex((entry) => entry.upstream.every((name) => done.has(name)));
    if (next < 0) {
      const first = pending[0];
      const names = pending.map((entry) => entry.stage.name).join(' → ');
      throw invalid(
        display,
        first ? locate(['stages', first.index, 'needs']) : undefined,
        `the needs of ${names} form a cycle: no stage among them can run first`,
        'Remove one of the `needs` entries so the stages have an order',
      );
    }
    const [entry] = pending.splice(next, 1);
    if (!entry) break;
    done.add(entry.stage.name);
    order.push(entry.stage);
  }
  return order;
}
