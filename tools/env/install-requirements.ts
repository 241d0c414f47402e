import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool, type ToolContext } from '../core/types.js';
import { gpuVariant, normalizeName, packagesFor } from './import-map.js';
import { findPython, installPackages, resolveInstaller, venvPython } from './installer.js';
import { readRecord, resolveProject, type Project } from './project-env.js';
import { runHelper, type ImportScan, type Installed } from './python-helper.js';
import { envSetup } from './setup-env.js';

const Input = z.object({
  project: z.string().default('.').describe('Project folder whose .py and .ipynb files are scanned'),
  requirements: z
    .string()
    .default('auto-detect')
    .describe("'auto-detect' (scan imports) or a requirements file in the project to install"),
  output: z
    .string()
    .default('requirements.txt')
    .describe('Where auto-detected, pinned requirements are written'),
  include_optional: z
    .boolean()
    .default(false)
    .describe('Also install modules imported only inside try/except ImportError'),
  manager: z
    .enum(['auto', 'uv', 'venv'])
    .default('auto')
    .describe('Manager for a new environment; an existing one keeps its own'),
  dry_run: z.boolean().default(false).describe('Only report what would be installed'),
});

const Detected = z.object({
  module: z.string().describe('Top-level module imported'),
  package: z.string().describe('PyPI package providing it'),
  version: z.string().optional().describe('Version installed and pinned'),
  files: z.array(z.string()).describe('Files importing it (first few)'),
  optional: z.boolean().describe('Imported only under try/except ImportError'),
});

const Output = z.object({
  project: z.string().describe('Project folder'),
  files_scanned: z.number().describe('.py and .ipynb files read'),
  detected: z.array(Detected).describe('Third-party imports and their packages'),
  skipped_optional: z.array(z.string()).optional().describe('Optional imports left out'),
  requirements_file: z.string().optional().describe('Requirements file written or installed'),
  installed: z.number().describe('Packages installed, dependencies included'),
  dry_run: z.boolean().describe('Nothing was installed or written'),
  scan_errors: z.array(z.string()).optional().describe('Files that could not be read'),
});

type InstallInput = z.infer<typeof Input>;
type InstallOutput = z.infer<typeof Output>;

export const envInstall = defineTool({
  name: 'env_install',
  title: 'Install requirements',
  description:
    "Installs a requirements file into the project's .venv, or with 'auto-detect' scans imports of .py/.ipynb files, maps them to PyPI packages (sklearn→scikit-learn…), installs and writes pinned requirements.",
  toolset: 'env',
  action: 'install',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  run: installRequirements,
});

async function installRequirements(input: InstallInput, ctx: ToolContext): Promise<InstallOutput> {
  const project = resolveProject(ctx, input.project);
  if (input.requirements !== 'auto-detect') return installFile(project, input, ctx);

  const scanner = existsSync(venvPython(project.envDir))
    ? venvPython(project.envDir)
    : (await findPython('3', ctx)).path;
  ctx.progress({ done: 0, message: 'scanning imports' });
  const scan = await runHelper<ImportScan>(scanner, ['imports', project.dir], ctx);
  const detected: InstallOutput['detected'] = [];
  const skipped: string[] = [];
  for (const [module, info] of Object.entries(scan.modules)) {
    if (info.optional && !input.include_optional) {
      skipped.push(module);
      continue;
    }
    for (const pkg of packagesFor(module, info.dotted)) {
      detected.push({ module, package: pkg, files: info.files.slice(0, 5), optional: info.optional });
    }
  }
  const base = {
    project: project.display,
    files_scanned: scan.files_scanned,
    ...(skipped.length ? { skipped_optional: skipped } : {}),
    ...(scan.errors.length ? { scan_errors: scan.errors } : {}),
  };
  if (input.dry_run || detected.length === 0) {
    return { ...base, detected, installed: 0, dry_run: input.dry_run };
  }

  await ensureEnvironment(project, input, ctx);
  const record = readRecord(project.envDir);
  const installer = await resolveInstaller(
    record?.manager === 'uv' || record?.manager === 'venv' ? record.manager : input.manager,
    ctx,
  );
  const packages = [...new Set(detected.map((d) => (record?.gpu ? gpuVariant(d.package) : d.package)))];
  const installed = await installPackages(installer, project.envDir, packages, ctx);

  const versions = (await runHelper<Installed>(venvPython(project.envDir), ['installed'], ctx)).packages;
  for (const entry of detected) {
    const version = versions[normalizeName(entry.package.replace(/\[.*$/, ''))];
    if (version) entry.version = version;
  }
  const outputPath = ctx.workspace.resolve(join(project.display, input.output));
  const pins = [
    ...new Set(detected.map((d) => (d.version ? `${d.package}==${d.version}` : d.package))),
  ].sort();
  writeFileSync(
    outputPath,
    [
      `# Detected by \`datastack env install --requirements auto-detect\` from ${scan.files_scanned} files;`,
      '# pinned to the versions installed in .venv.',
      ...pins,
      '',
    ].join('\n'),
  );
  return {
    ...base,
    detected,
    requirements_file: ctx.workspace.display(outputPath),
    installed,
    dry_run: false,
  };
}

async function installFile(project: Project, input: InstallInput, ctx: ToolContext): Promise<InstallOutput> {
  const file = ctx.workspace.resolve(join(project.display, input.requirements));
  if (!existsSync(file)) {
    throw new ToolError('not_found', `Requirements file not found: ${ctx.workspace.display(file)}`, {
      hint: "Give a file in the project, or 'auto-detect' to scan the imports",
    });
  }
  const base = {
    project: project.display,
    files_scanned: 0,
    detected: [],
    requirements_file: ctx.workspace.display(file),
  };
  if (input.dry_run) return { ...base, installed: 0, dry_run: true };
  await ensureEnvironment(project, input, ctx);
  const record = readRecord(project.envDir);
  const installer = await resolveInstaller(
    record?.manager === 'uv' || record?.manager === 'venv' ? record.manager : input.manager,
    ctx,
  );
  const installed = await installPackages(installer, project.envDir, ['-r', file], ctx);
  return { ...base, installed, dry_run: false };
}

/** A project without an environment gets one first, as `env setup --auto` would make it. */
async function ensureEnvironment(project: Project, input: InstallInput, ctx: ToolContext): Promise<void> {
  if (existsSync(venvPython(project.envDir))) return;
  ctx.log.info(`${project.display} has no .venv yet: creating it first`);
  await envSetup.run({ project: input.project, manager: input.manager, auto: true, dev: false }, ctx);
}
