/**
 * What made a run: the code (git commit, dirty flag, branch), the data (the DVC md5 of every
 * tracked output, and the Nessie reference when a .dvc file says its data came from the lake),
 * the environment (a hash of its lock) and DataStack itself. Recorded as MLflow tags so any
 * MLflow client sees them, and read back by `experiment reproduce`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { ToolError } from '../core/errors.js';

/** Tag names, once: `experiment run` writes them, `experiment reproduce` reads them. */
export const TAG = {
  commit: 'mlflow.source.git.commit',
  dirty: 'datastack.git.dirty',
  branch: 'datastack.git.branch',
  dataPrefix: 'datastack.data.',
  nessieRef: 'datastack.nessie.ref',
  nessieHash: 'datastack.nessie.hash',
  envLock: 'datastack.env.lock',
  version: 'datastack.version',
  config: 'datastack.config',
  overrides: 'datastack.overrides',
  command: 'datastack.command',
  reproduces: 'datastack.reproduces',
} as const;

export interface GitFacts {
  commit: string;
  dirty: boolean;
  branch?: string;
  /** Tracked files with changes, for the refusal message of a dirty reproduction. */
  changed: string[];
}

export interface DataVersion {
  /** Output path relative to the project root, `/`-separated. */
  path: string;
  md5: string;
  /** The .dvc file or dvc.lock it was read from. */
  source: string;
  nessie?: { ref?: string; hash?: string };
}

/** Git facts of `dir`, or undefined when it is not in a git repository. */
export async function gitFacts(dir: string): Promise<GitFacts | undefined> {
  const { simpleGit } = await import('simple-git');
  const git = simpleGit({ baseDir: dir });
  try {
    if (!(await git.checkIsRepo())) return undefined;
    const commit = (await git.revparse(['HEAD'])).trim();
    const status = await git.status(['--untracked-files=no']);
    // As `git describe --dirty`: changes to tracked files count, untracked files do not (the
    // training's own outputs, notes); they cannot have changed the committed code.
    const changed = status.files.map((file) => file.path);
    return {
      commit,
      dirty: changed.length > 0,
      ...(status.current && !status.detached ? { branch: status.current } : {}),
      changed,
    };
  } catch (error) {
    const message = (error as Error).message;
    // A repository with no commit yet has no HEAD to record.
    if (/ambiguous argument 'HEAD'|unknown revision/.test(message)) {
      throw new ToolError('invalid_input', `${dir} is a git repository with no commit yet`, {
        hint: 'Commit the project first (`git add -A && git commit`), so each run can name the code it ran',
      });
    }
    throw new ToolError('unavailable', `git could not read ${dir}: ${message}`, { cause: error });
  }
}

/** Folders never searched for .dvc files: environments, caches, DataStack's own state. */
const SKIP_DIRS = new Set(['node_modules', '__pycache__']);

/** Every DVC-tracked output of the project: `*.dvc` files and `dvc.lock` stage outputs. */
export async function dataVersions(root: string): Promise<DataVersion[]> {
  const { parse } = await import('yaml');
  const found: DataVersion[] = [];
  for (const file of findDvcFiles(root)) {
    const doc = parseYaml(parse, file);
    const base = dirname(file);
    const nessie = nessieMeta(doc?.meta);
    for (const out of asArray(doc?.outs)) {
      const version = outVersion(root, base, file, out);
      if (version) found.push(nessie ? { ...version, nessie } : version);
    }
  }
  const lock = join(root, 'dvc.lock');
  if (existsSync(lock)) {
    const doc = parseYaml(parse, lock);
    const stages = (doc?.stages ?? {}) as Record<string, { outs?: unknown }>;
    for (const stage of Object.values(stages)) {
      for (const out of asArray(stage?.outs)) {
        const version = outVersion(root, root, lock, out);
        if (version) found.push(version);
      }
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The hash recorded as `datastack.env.lock`: sha256 over the lock's pins, comment lines left out,
 * because `env export` dates its header and the same environment must hash the same next week.
 */
export function envLockHash(lockFile: string): string {
  const pins = readFileSync(lockFile, 'utf8')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line && !line.startsWith('#'))
    .join('\n');
  return createHash('sha256').update(pins).digest('hex');
}

/** The lock `env export` writes in the project, if there is one. */
export function projectLockFile(projectDir: string): string | undefined {
  for (const name of ['requirements.lock', 'environment.lock.yml']) {
    const file = join(projectDir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

export function fileMd5(path: string): string {
  return createHash('md5').update(readFileSync(path)).digest('hex');
}

export interface ProvenanceInput {
  git: GitFacts | undefined;
  data: readonly DataVersion[];
  envLock?: string | undefined;
  version: string;
  config: string;
  overrides: readonly string[];
  command: string;
}

/** The tags of a run, from the facts gathered above. */
export function provenanceTags(input: ProvenanceInput): Record<string, string> {
  const tags: Record<string, string> = {
    [TAG.version]: input.version,
    [TAG.config]: input.config,
    [TAG.command]: input.command,
  };
  if (input.overrides.length) tags[TAG.overrides] = JSON.stringify(input.overrides);
  if (input.git) {
    tags[TAG.commit] = input.git.commit;
    tags[TAG.dirty] = String(input.git.dirty);
    if (input.git.branch) tags[TAG.branch] = input.git.branch;
  }
  for (const item of input.data) tags[`${TAG.dataPrefix}${item.path}`] = item.md5;
  const lake = input.data.find((item) => item.nessie?.ref || item.nessie?.hash);
  if (lake?.nessie?.ref) tags[TAG.nessieRef] = lake.nessie.ref;
  if (lake?.nessie?.hash) tags[TAG.nessieHash] = lake.nessie.hash;
  if (input.envLock) tags[TAG.envLock] = input.envLock;
  return tags;
}

/** The `datastack.data.*` tags of a run, as path → md5. */
export function recordedData(tags: Record<string, string>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (key.startsWith(TAG.dataPrefix)) data[key.slice(TAG.dataPrefix.length)] = value;
  }
  return data;
}

type YamlParse = (text: string) => unknown;
type DvcDoc = { outs?: unknown; meta?: unknown; stages?: unknown } | undefined;

function parseYaml(parse: YamlParse, file: string): DvcDoc {
  try {
    return parse(readFileSync(file, 'utf8')) as DvcDoc;
  } catch (error) {
    throw new ToolError('invalid_input', `Cannot read the DVC file ${file}: ${(error as Error).message}`, {
      hint: 'Fix or regenerate it (`dvc add` / `dvc repro`)',
    });
  }
}

function findDvcFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      // Dot folders (.git, .venv, .dvc, .datastack) hold no pointers of the project's data.
      if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.dvc')) files.push(path);
    }
  };
  walk(root);
  return files.sort();
}

function outVersion(root: string, base: string, source: string, out: unknown): DataVersion | undefined {
  const entry = out as { path?: unknown; md5?: unknown } | undefined;
  if (typeof entry?.path !== 'string' || typeof entry.md5 !== 'string') return undefined;
  return {
    path: relative(root, join(base, entry.path)).split(sep).join(posix.sep),
    md5: entry.md5,
    source: relative(root, source).split(sep).join(posix.sep),
  };
}

/**
 * Where the data came from in the lake: `meta.datastack.nessie_ref` / `nessie_hash`, as `data add
 * --source lake` writes them (tools/data/dvc-file.ts); `meta.nessie_ref` or
 * `meta.datastack.nessie.{ref,hash}` when written by hand.
 */
function nessieMeta(meta: unknown): DataVersion['nessie'] | undefined {
  if (!meta || typeof meta !== 'object') return undefined;
  type Fields = { nessie_ref?: unknown; nessie_hash?: unknown; nessie?: { ref?: unknown; hash?: unknown } };
  const flat = meta as Fields & { datastack?: Fields };
  const ours = flat.datastack;
  const ref = stringOf(ours?.nessie_ref) ?? stringOf(ours?.nessie?.ref) ?? stringOf(flat.nessie_ref);
  const hash = stringOf(ours?.nessie_hash) ?? stringOf(ours?.nessie?.hash) ?? stringOf(flat.nessie_hash);
  if (!ref && !hash) return undefined;
  return { ...(ref ? { ref } : {}), ...(hash ? { hash } : {}) };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
