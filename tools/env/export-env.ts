import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { resolveInstaller, runLogged, venvPython } from './installer.js';
import { readRecord, resolveProject } from './project-env.js';
import { runHelper, type Installed } from './python-helper.js';

const Input = z.object({
  project: z.string().default('.').describe('Project folder holding the .venv'),
  output: z
    .string()
    .optional()
    .describe(
      'Lock file, relative to the project (default requirements.lock; environment.lock.yml for conda)',
    ),
});

const Output = z.object({
  project: z.string().describe('Project folder'),
  lock_file: z.string().describe('Lock file written'),
  packages: z.number().describe('Packages pinned'),
  python: z.string().describe('Python version of the environment'),
  manager: z.string().describe('Manager of the environment'),
});

type ExportInput = z.infer<typeof Input>;
type ExportOutput = z.infer<typeof Output>;

export const envExport = defineTool({
  name: 'env_export',
  title: 'Lock the environment',
  description:
    "Writes a lock of the project's .venv: every installed package pinned (uv/pip freeze → requirements.lock; conda env export → environment.lock.yml).",
  toolset: 'env',
  action: 'export',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: false },
  run: exportEnvironment,
});

export async function exportEnvironment(input: ExportInput, ctx: ToolContext): Promise<ExportOutput> {
  const project = resolveProject(ctx, input.project);
  const python = venvPython(project.envDir);
  if (!existsSync(python)) {
    throw new ToolError('not_found', `${project.display} has no environment (.venv) to lock`, {
      hint: 'Create it first: `datastack env setup --auto` (env_setup)',
    });
  }
  const record = readRecord(project.envDir);
  const installed = await runHelper<Installed>(python, ['installed'], ctx);
  const manager = record?.manager ?? 'venv';
  const conda = manager === 'conda';
  const file = ctx.workspace.resolve(
    join(project.display, input.output ?? (conda ? 'environment.lock.yml' : 'requirements.lock')),
  );
  ctx.progress({ done: 0, total: 1, message: `locking ${manager} environment` });

  let body: string;
  if (conda) {
    const installer = await resolveInstaller('conda', ctx);
    body = (
      await runLogged(
        installer.bin ?? 'conda',
        ['env', 'export', '--prefix', project.envDir, '--no-builds'],
        ctx,
        'conda env export',
        { keepAll: true },
      )
    ).output;
  } else {
    // From the interpreter's own metadata: works for uv venvs, which have no pip.
    const skip = new Set(['pip', 'setuptools', 'wheel', 'uv']);
    body = Object.entries(installed.packages)
      .filter(([name]) => !skip.has(name))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, version]) => `${name}==${version}`)
      .join('\n');
  }
  const packages = conda
    ? body.split('\n').filter((l) => /^\s+- /.test(l)).length
    : body.split('\n').filter(Boolean).length;
  const header = [
    `# Locked by \`datastack env export\` on ${new Date().toISOString().slice(0, 10)}: Python ${installed.python}, ${manager}${record?.gpu ? ', GPU' : ''}.`,
    conda
      ? `# Recreate: conda env create --prefix .venv --file ${ctx.workspace.display(file)}`
      : '# Recreate: uv pip install -r requirements.lock (or pip install -r requirements.lock)',
  ];
  writeFileSync(file, `${header.join('\n')}\n${body.trim()}\n`);
  ctx.progress({ done: 1, total: 1, message: 'locked' });
  return {
    project: project.display,
    lock_file: ctx.workspace.display(file),
    packages,
    python: installed.python,
    manager,
  };
}
