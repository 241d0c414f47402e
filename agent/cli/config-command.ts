/**
 * `datastack config show` and `config path`: what the resolved profile is and where it came from,
 * with every secret redacted, so it can be pasted into an issue. Imported lazily (it loads zod).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  findProjectRoot,
  loadConfig,
  PROJECT_CONFIG_FILE,
  redactConfig,
  scrubSecrets,
  userConfigPath,
  type ResolvedConfig,
} from '../../tools/core/config.js';
import { toToolError, type ToolError } from '../../tools/core/errors.js';
import { EXIT, reportError, type CliGlobals, type CliIO } from './io.js';
import { renderJson } from './render.js';

export type LoadedConfig = { ok: true; config: ResolvedConfig } | { ok: false; error: ToolError };

export function cliCwd(globals: CliGlobals): string {
  return resolve(globals.cwd ?? process.cwd());
}

export async function loadCliConfig(io: CliIO, globals: CliGlobals): Promise<LoadedConfig> {
  try {
    const options = {
      cwd: cliCwd(globals),
      env: io.env,
      ...(globals.profile ? { profile: globals.profile } : {}),
    };
    return { ok: true, config: await loadConfig(options) };
  } catch (error) {
    return { ok: false, error: toToolError(error) };
  }
}

export async function configShow(io: CliIO, globals: CliGlobals): Promise<number> {
  const loaded = await loadCliConfig(io, globals);
  if (!loaded.ok) return reportError(io, loaded.error.toJSON(), Boolean(globals.json));
  const redacted = redactConfig(loaded.config);
  let text: string;
  if (globals.json) text = renderJson(redacted);
  else {
    const { stringify } = await import('yaml');
    const sources = loaded.config.files.length
      ? loaded.config.files.join(', ')
      : 'none (built-in defaults and environment)';
    text = `# profile ${loaded.config.profile}; files read: ${sources}\n${stringify(redacted)}`;
  }
  // redactConfig hides secret fields; scrubbing also catches a secret pasted into another field.
  io.stdout.write(scrubSecrets(text, loaded.config.secrets));
  return EXIT.ok;
}

export function configPath(io: CliIO, globals: CliGlobals): number {
  const { root, configFile } = findProjectRoot(cliCwd(globals));
  const project = configFile ?? join(root, PROJECT_CONFIG_FILE);
  const user = userConfigPath(io.env);
  const files = [
    { scope: 'project', path: project, exists: existsSync(project) },
    { scope: 'user', path: user, exists: existsSync(user) },
  ];
  if (globals.json) io.stdout.write(renderJson({ root, files }));
  else {
    for (const file of files)
      io.stdout.write(`${file.scope.padEnd(8)} ${file.path}${file.exists ? '' : '  (not created)'}\n`);
  }
  return EXIT.ok;
}
