/** Temporary workspaces and contexts for tests: real folders, real config resolution. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig, type ResolvedConfig } from '../../tools/core/config.js';
import { createToolContext, type ContextOptions } from '../../tools/core/context.js';
import type { ToolContext } from '../../tools/core/types.js';

export interface TempWorkspace {
  root: string;
  write(path: string, content: string): string;
  cleanup(): void;
}

/** A fresh folder with a `datastack.yaml` (so it is its own project root) and the given files. */
export function makeWorkspace(files: Record<string, string> = {}): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'datastack-test-'));
  const write = (path: string, content: string) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  };
  if (!('datastack.yaml' in files)) write('datastack.yaml', 'profile: local\n');
  for (const [path, content] of Object.entries(files)) write(path, content);
  return { root, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Config resolved for `root` with no user config and an empty environment unless given. */
export function configFor(root: string, env: NodeJS.ProcessEnv = {}): Promise<ResolvedConfig> {
  return loadConfig({ cwd: root, env, userConfigPath: join(root, '.no-user-config.yaml') });
}

export async function contextFor(root: string, options: Partial<ContextOptions> = {}): Promise<ToolContext> {
  const config = options.config ?? (await configFor(root));
  return createToolContext({ ...options, config, log: options.log ?? silentLogger });
}

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };
