import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import type { DockerSpec } from './docker-files.js';
import { exportEnvironment } from './export-env.js';
import { venvPython } from './installer.js';
import { readDeclared, readRecord, resolveProject } from './project-env.js';

const Input = z.object({
  project: z.string().default('.').describe('Project folder'),
  gpu: z
    .boolean()
    .optional()
    .describe('NVIDIA CUDA base image and a GPU reservation (default: what env setup recorded)'),
  python: z
    .string()
    .regex(/^3\.\d+$/)
    .optional()
    .describe('Python version (default: the environment’s)'),
  cuda: z.string().default('12.6.3').describe('CUDA version of the nvidia/cuda base image, with gpu'),
  lock: z
    .string()
    .default('requirements.lock')
    .describe('Lock file to install; written from .venv when missing'),
  force: z.boolean().default(false).describe('Overwrite a Dockerfile or compose file that differs'),
});

const Output = z.object({
  project: z.string().describe('Project folder'),
  dockerfile: z.string().describe('Dockerfile written'),
  compose: z.string().describe('Compose file written'),
  base_image: z.string().describe('FROM image'),
  gpu: z.boolean().describe('GPU image and reservation'),
  lock: z.string().describe('Lock file the image installs'),
  command: z.array(z.string()).describe('Container command'),
});

export const envDocker = defineTool({
  name: 'env_docker',
  title: 'Write Dockerfile and compose',
  description:
    'Writes a Dockerfile (python slim, or an NVIDIA CUDA base with gpu) and docker-compose.yaml that reproduce the project environment from its lock file.',
  toolset: 'env',
  action: 'docker',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: false },
  async run(input, ctx) {
    const project = resolveProject(ctx, input.project);
    // yaml is loaded only when a tool runs: the registry stays cheap to import.
    const { composeFile, DOCKERIGNORE, dockerBase, dockerfile } = await import('./docker-files.js');
    const lockPath = join(project.dir, input.lock);
    if (!existsSync(lockPath)) {
      if (!existsSync(venvPython(project.envDir))) {
        throw new ToolError('not_found', `No ${input.lock} and no .venv in ${project.display} to lock`, {
          hint: 'Run `datastack env setup --auto` then `datastack env export` (or give --lock FILE)',
        });
      }
      await exportEnvironment({ project: input.project, output: input.lock }, ctx);
    }
    const record = readRecord(project.envDir);
    const declared = await readDeclared(project.dir);
    const python =
      input.python ?? record?.python.split('.').slice(0, 2).join('.') ?? declared.python ?? '3.11';
    const gpu = input.gpu ?? record?.gpu ?? declared.gpu ?? false;
    const spec: DockerSpec = {
      python,
      gpu,
      cuda: input.cuda,
      lock: input.lock,
      command: await trainCommand(project.dir),
      image:
        project.dir
          .split(/[\\/]/)
          .pop()
          ?.toLowerCase()
          .replace(/[^a-z0-9._-]+/g, '-') || 'project',
    };
    const files: Array<[string, string]> = [
      ['Dockerfile', dockerfile(spec)],
      ['docker-compose.yaml', composeFile(spec)],
      ['.dockerignore', DOCKERIGNORE],
    ];
    for (const [name, text] of files.slice(0, 2)) {
      const path = join(project.dir, name);
      if (!input.force && existsSync(path) && readFileSync(path, 'utf8') !== text) {
        throw new ToolError('invalid_input', `${join(project.display, name)} exists with other content`, {
          hint: 'Pass --force to overwrite it, or move it aside first',
        });
      }
    }
    for (const [name, text] of files) writeFileSync(join(project.dir, name), text);
    return {
      project: project.display,
      dockerfile: ctx.workspace.display(join(project.dir, 'Dockerfile')),
      compose: ctx.workspace.display(join(project.dir, 'docker-compose.yaml')),
      base_image: dockerBase(spec),
      gpu,
      lock: input.lock,
      command: spec.command,
    };
  },
});

/** `project.train` from datastack.yaml, split into exec form; else a Python prompt. */
async function trainCommand(dir: string): Promise<string[]> {
  const file = join(dir, 'datastack.yaml');
  if (!existsSync(file)) return ['python'];
  const { parse } = await import('yaml');
  try {
    const train = (parse(readFileSync(file, 'utf8')) as { project?: { train?: unknown } }).project?.train;
    return typeof train === 'string' && train.trim() ? train.trim().split(/\s+/) : ['python'];
  } catch {
    return ['python'];
  }
}
