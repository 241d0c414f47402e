import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { gpuVariant } from './import-map.js';
import {
  createEnvironment,
  findPython,
  installPackages,
  resolveInstaller,
  retargetEnvironment,
  runLogged,
  type Installer,
} from './installer.js';
import {
  readDeclared,
  resolveProject,
  versionFromSpecifier,
  writeRecord,
  type Project,
} from './project-env.js';
import { runHelper, type DeclaredDeps } from './python-helper.js';

const Input = z.object({
  project: z.string().default('.').describe('Project folder (holding pyproject.toml or requirements.txt)'),
  python: z
    .string()
    .regex(/^3\.\d+(\.\d+)?$/, 'a Python 3 version such as 3.11')
    .optional()
    .describe('Python version, e.g. 3.11 (default 3.11, or what the project declares with auto)'),
  manager: z
    .enum(['auto', 'uv', 'venv', 'conda'])
    .default('auto')
    .describe('Environment manager; auto = uv when it can be installed, else venv + pip'),
  gpu: z
    .boolean()
    .optional()
    .describe('Pick GPU builds of packages that have one, and record it for env docker'),
  auto: z
    .boolean()
    .default(false)
    .describe(
      'Take Python version, manager and GPU from the project (.python-version, pyproject, datastack.yaml)',
    ),
  dev: z.boolean().default(true).describe('Also install the `dev` extra (pytest)'),
});

const Output = z.object({
  project: z.string().describe('Project folder, relative to the workspace'),
  env_dir: z.string().describe('The environment folder'),
  manager: z.enum(['uv', 'venv', 'conda']).describe('Manager that built it'),
  python: z.string().describe('Python version in the environment'),
  gpu: z.boolean().describe('GPU builds chosen'),
  requirements_source: z.string().optional().describe('Where the dependencies came from'),
  requirements: z.array(z.string()).describe('Requirement specs installed'),
  packages_installed: z.number().describe('Packages installed, dependencies included'),
  replaced_existing: z.boolean().describe('An older environment was replaced'),
  elapsed_ms: z.number().describe('Time taken, in milliseconds'),
});

type SetupInput = z.infer<typeof Input>;
type SetupOutput = z.infer<typeof Output>;

export const envSetup = defineTool({
  name: 'env_setup',
  title: 'Set up the project environment',
  description:
    "Creates the project's .venv (uv, venv or conda) and installs its declared dependencies with progress. Built aside and swapped in: a failure leaves the project as it was.",
  toolset: 'env',
  action: 'setup',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  run: setupEnvironment,
});

async function setupEnvironment(input: SetupInput, ctx: ToolContext): Promise<SetupOutput> {
  const started = performance.now();
  const project = resolveProject(ctx, input.project);
  const declared = input.auto ? await readDeclared(project.dir) : {};
  const version =
    input.python ?? (input.auto ? declaredPython(project.dir, declared.python) : undefined) ?? '3.11';
  const python = await findPython(version, ctx);
  const deps = await runHelper<DeclaredDeps>(python.path, ['deps', project.dir], ctx);
  const requested =
    input.manager !== 'auto'
      ? input.manager
      : (input.auto && (declared.manager ?? (deps.source === 'environment.yml' ? 'conda' : undefined))) ||
        'auto';
  const gpu = input.gpu ?? (input.auto ? Boolean(declared.gpu) : false);
  const specs = [...deps.dependencies, ...(input.dev ? (deps.extras.dev ?? []) : [])].map((spec) =>
    gpu ? gpuVariant(spec) : spec,
  );
  if (deps.source === 'environment.yml' && requested !== 'conda') {
    throw new ToolError(
      'invalid_input',
      `${project.display} declares its environment in environment.yml only`,
      {
        hint: 'Use --manager conda (or --auto), or add a pyproject.toml or requirements.txt',
      },
    );
  }
  const installer = await resolveInstaller(requested, ctx);
  const replaced = existsSync(project.envDir);
  const installed = await buildAside(project, installer, async (dir) => {
    await createEnvironment(installer, python, dir, basename(project.dir), ctx);
    if (deps.source === 'environment.yml' && installer.bin) {
      await runLogged(
        installer.bin,
        ['env', 'update', '--prefix', dir, '--file', join(project.dir, 'environment.yml')],
        ctx,
        'conda env update',
      );
      return 0;
    }
    return installPackages(installer, dir, specs, ctx);
  });
  addSourceToPath(project);
  await writeRecord(project, project.envDir, {
    manager: installer.manager,
    python: python.version,
    gpu,
    created: new Date().toISOString(),
    packages: specs,
  });
  ctx.progress({ done: 1, total: 1, message: 'environment ready' });
  return {
    project: project.display,
    env_dir: ctx.workspace.display(project.envDir),
    manager: installer.manager,
    python: python.version,
    gpu,
    ...(deps.source ? { requirements_source: deps.source } : {}),
    requirements: specs,
    packages_installed: installed,
    replaced_existing: replaced,
    elapsed_ms: Math.round(performance.now() - started),
  };
}

function declaredPython(dir: string, fromYaml: string | undefined): string | undefined {
  if (fromYaml) return fromYaml;
  try {
    const pinned = readFileSync(join(dir, '.python-version'), 'utf8').trim();
    if (/^3\.\d+/.test(pinned)) return pinned;
  } catch {
    // No .python-version.
  }
  try {
    const match = /requires-python\s*=\s*["']([^"']+)["']/.exec(
      readFileSync(join(dir, 'pyproject.toml'), 'utf8'),
    );
    return versionFromSpecifier(match?.[1]);
  } catch {
    return undefined;
  }
}

/**
 * Builds the environment where it cannot disturb the current one, then swaps it in. uv and venv
 * build in a temporary folder and are retargeted; conda prefixes are not relocatable, so conda
 * builds in place with the old environment moved aside and put back on failure.
 */
async function buildAside<T>(
  project: Project,
  installer: Installer,
  build: (dir: string) => Promise<T>,
): Promise<T> {
  const suffix = randomBytes(4).toString('hex');
  const old = `${project.envDir}.old-${suffix}`;
  const hadOld = existsSync(project.envDir);
  if (installer.manager === 'conda') {
    if (hadOld) renameSync(project.envDir, old);
    try {
      const result = await build(project.envDir);
      if (hadOld) rmSync(old, { recursive: true, force: true });
      return result;
    } catch (error) {
      rmSync(project.envDir, { recursive: true, force: true });
      if (hadOld) renameSync(old, project.envDir);
      throw error;
    }
  }
  const temp = `${project.envDir}.tmp-${suffix}`;
  let result: T;
  try {
    result = await build(temp);
    retargetEnvironment(temp, project.envDir);
    if (hadOld) renameSync(project.envDir, old);
    renameSync(temp, project.envDir);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    if (hadOld && !existsSync(project.envDir) && existsSync(old)) renameSync(old, project.envDir);
    throw error;
  }
  if (hadOld) rmSync(old, { recursive: true, force: true });
  return result;
}

/** Like an editable install without a build: `src/` goes on the environment's sys.path. */
function addSourceToPath(project: Project): void {
  const src = join(project.dir, 'src');
  if (!existsSync(src)) return;
  const lib = join(project.envDir, 'lib');
  const sites = existsSync(lib)
    ? readdirSync(lib)
        .filter((name) => name.startsWith('python'))
        .map((name) => join(lib, name, 'site-packages'))
    : [join(project.envDir, 'Lib', 'site-packages')];
  for (const site of sites.filter((path) => existsSync(path))) {
    writeFileSync(join(site, '_datastack_project.pth'), `${src}\n`);
  }
}
