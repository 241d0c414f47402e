/**
 * Resolves the configuration of one run: defaults < user config < project `datastack.yaml` <
 * environment variables (each ecosystem's standard names) < command-line overrides, for the
 * chosen profile. The default profile is `local`: the embedded stack, nothing to configure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ToolError } from './errors.js';
import { ConfigFileSchema, ProfileSchema, SECRET_FIELD, type PartialProfile, type Profile } from './config-schema.js';

export const PROJECT_CONFIG_FILE = 'datastack.yaml';
export const DEFAULT_PROFILE = 'local';

export interface ResolvedConfig extends Profile {
  profile: string;
  /** Absolute workspace root: file arguments resolve inside it. */
  root: string;
  /** The files read, in order of precedence (lowest first). */
  files: string[];
  /** Known secret values, scrubbed from logs, transcripts and tool results. */
  secrets: string[];
}

export interface LoadConfigOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  profile?: string;
  /** Overrides on top of everything, as `section.field` → value. */
  overrides?: Record<string, unknown>;
  /** Path of the user config file; defaults to $XDG_CONFIG_HOME/datastack/config.yaml. */
  userConfigPath?: string;
}

/** Standard environment variables → `section.field`. */
const ENV_MAP: ReadonlyArray<[string, string]> = [
  ['ANTHROPIC_API_KEY', 'anthropic.api_key'],
  ['ANTHROPIC_BASE_URL', 'anthropic.base_url'],
  ['DATASTACK_MODEL', 'anthropic.model'],
  ['AWS_ENDPOINT_URL_S3', 's3.endpoint'],
  ['AWS_ENDPOINT_URL', 's3.endpoint'],
  ['AWS_REGION', 's3.region'],
  ['AWS_ACCESS_KEY_ID', 's3.access_key_id'],
  ['AWS_SECRET_ACCESS_KEY', 's3.secret_access_key'],
  ['MLFLOW_TRACKING_URI', 'mlflow.tracking_uri'],
  ['MLFLOW_TRACKING_TOKEN', 'mlflow.token'],
  ['MLFLOW_TRACKING_USERNAME', 'mlflow.username'],
  ['MLFLOW_TRACKING_PASSWORD', 'mlflow.password'],
  ['MLFLOW_EXPERIMENT_NAME', 'mlflow.experiment'],
  ['NESSIE_URI', 'nessie.url'],
  ['ICEBERG_REST_URI', 'iceberg.url'],
  ['DREMIO_URL', 'dremio.url'],
  ['DREMIO_TOKEN', 'dremio.token'],
  ['DREMIO_USERNAME', 'dremio.username'],
  ['DREMIO_PASSWORD', 'dremio.password'],
  ['SPARK_MASTER', 'spark.master'],
  ['AIRFLOW_URL', 'airflow.url'],
  ['AIRFLOW_USERNAME', 'airflow.username'],
  ['AIRFLOW_PASSWORD', 'airflow.password'],
  ['REDMINE_URL', 'redmine.url'],
  ['REDMINE_API_KEY', 'redmine.api_key'],
  ['JIRA_URL', 'jira.url'],
  ['JIRA_API_TOKEN', 'jira.token'],
];

export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'datastack', 'config.yaml');
}

/** The nearest folder at or above `cwd` holding datastack.yaml (or a .git), else `cwd`. */
export function findProjectRoot(cwd: string): { root: string; configFile?: string } {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, PROJECT_CONFIG_FILE);
    if (existsSync(candidate)) return { root: dir, configFile: candidate };
    if (existsSync(join(dir, '.git'))) return { root: dir };
    const parent = dirname(dir);
    if (parent === dir) return { root: resolve(cwd) };
    dir = parent;
  }
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const { root, configFile } = findProjectRoot(cwd);
  const files: string[] = [];
  const layers: Array<{ profile?: string; profiles?: Record<string, PartialProfile> }> = [];

  for (const path of [options.userConfigPath ?? userConfigPath(env), configFile]) {
    if (!path || !existsSync(path)) continue;
    layers.push(await readConfigFile(path));
    files.push(path);
  }

  const profile =
    options.profile ?? env.DATASTACK_PROFILE ?? layers.findLast((l) => l.profile)?.profile ?? DEFAULT_PROFILE;
  const known = new Set([DEFAULT_PROFILE, ...layers.flatMap((l) => Object.keys(l.profiles ?? {}))]);
  if (!known.has(profile)) {
    throw new ToolError('config', `Unknown profile "${profile}"`, {
      hint: `Known profiles: ${[...known].join(', ')}. Add it under "profiles:" in ${PROJECT_CONFIG_FILE}`,
    });
  }

  let merged: PartialProfile = {};
  for (const layer of layers) merged = mergeProfile(merged, layer.profiles?.[profile] ?? {});
  for (const [name, key] of ENV_MAP) {
    const value = env[name];
    if (value && getPath(merged, key) === undefined) merged = setPath(merged, key, value);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) merged = setPath(merged, key, value);

  const parsed = ProfileSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ToolError('config', `Invalid configuration for profile "${profile}" at ${issue?.path.join('.')}: ${issue?.message}`, {
      hint: `Fix it in ${files.at(-1) ?? PROJECT_CONFIG_FILE}, or see \`datastack config show\``,
    });
  }
  const workspaceRoot = parsed.data.workspace.root ? resolve(root, parsed.data.workspace.root) : root;
  return { ...parsed.data, profile, root: workspaceRoot, files, secrets: collectSecrets(parsed.data) };
}

async function readConfigFile(path: string): Promise<{ profile?: string; profiles?: Record<string, PartialProfile> }> {
  // yaml is only needed when a file exists: keep it off the start-up path otherwise.
  const { parse } = await import('yaml');
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new ToolError('config', `Cannot parse ${path}: ${(error as Error).message}`, {
      hint: 'Fix the YAML syntax in that file',
    });
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ToolError('config', `Unexpected shape in ${path}: ${parsed.error.issues[0]?.message}`, {
      hint: 'Expected `profile: NAME` and `profiles: { NAME: { section: { field: value } } }`',
    });
  }
  return parsed.data as { profile?: string; profiles?: Record<string, PartialProfile> };
}

function mergeProfile(base: PartialProfile, next: PartialProfile): PartialProfile {
  const out: PartialProfile = { ...base };
  for (const [section, fields] of Object.entries(next)) out[section] = { ...(out[section] ?? {}), ...fields };
  return out;
}

function getPath(profile: PartialProfile, key: string): unknown {
  const [section, field] = key.split('.') as [string, string];
  return profile[section]?.[field];
}

function setPath(profile: PartialProfile, key: string, value: unknown): PartialProfile {
  const [section, field] = key.split('.') as [string, string];
  return { ...profile, [section]: { ...(profile[section] ?? {}), [field]: value } };
}

function collectSecrets(profile: Profile): string[] {
  const found: string[] = [];
  for (const fields of Object.values(profile)) {
    if (!fields || typeof fields !== 'object') continue;
    for (const [field, value] of Object.entries(fields)) {
      if (SECRET_FIELD.test(field) && typeof value === 'string' && value.length >= 4) found.push(value);
    }
  }
  return found;
}

/** The config with secret fields replaced, for `config show` and logs. */
export function redactConfig(config: ResolvedConfig): Record<string, unknown> {
  const { secrets: _secrets, ...rest } = config;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([f, v]) => [f, SECRET_FIELD.test(f) && v ? '***' : v]),
      );
    } else out[key] = value;
  }
  return out;
}

/** Replaces every known secret value in a string. Cheap when there are none. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}
