/**
 * `datastack mcp [--http] [--port N] [--host H] [--toolsets a,b] [--read-only] [--profile P]`.
 * Resolves the config and the tools once, then serves over stdio (default) or Streamable HTTP.
 * The HTTP transport is imported only when asked for: the stdio path stays lean.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { McpOptions } from '../agent/cli/options.js';
import { loadConfig, type ResolvedConfig } from '../tools/core/config.js';
import { createStderrLogger } from '../tools/core/context.js';
import { ToolError, toToolError } from '../tools/core/errors.js';
import { loadManifest, loadManifestTool } from '../tools/manifest.js';
import { selectFrom, toolsetsOf, type Selectable } from '../tools/select.js';
import type { ServerDeps } from './server.js';
import { serveStdio } from './stdio.js';

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

export async function runMcp(options: McpOptions): Promise<number> {
  let config: ResolvedConfig;
  try {
    config = await loadConfig({
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
    });
  } catch (error) {
    return fail(toToolError(error), EXIT_FAILURE);
  }
  // Listing reads the build's manifest; a tool's module loads on its first call.
  const tools = toolsFor(options.toolsets, await loadManifest(), config);
  if ('error' in tools) return fail(tools.error, EXIT_USAGE);

  const deps: ServerDeps = {
    config,
    tools: tools.selected,
    // Only the called tool's module is imported (see loadManifestTool), not the whole registry.
    loadTool: async (name) =>
      loadManifestTool(tools.selected.find((entry) => entry.name === name) ?? { name }),
    readOnly: options.readOnly ?? false,
    logger: createStderrLogger(config.secrets),
    version: packageVersion(),
  };
  if (!options.http) return serveStdio(deps);
  const { serveHttp } = await import('./http.js');
  try {
    return await serveHttp(deps, {
      ...(options.host ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
  } catch (error) {
    // Typically EADDRINUSE or EACCES from listen().
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `error: cannot start the MCP HTTP server: ${message}\nhint: choose another --port\n`,
    );
    return EXIT_FAILURE;
  }
}

/**
 * The tools of the chosen toolsets; unknown names are an error, not a silently empty server.
 * Without `--toolsets`, those the profile configures (see selectTools); `--toolsets all` for every one.
 */
export function toolsFor<T extends Selectable>(
  requested: readonly string[] | undefined,
  all: readonly T[],
  config?: ResolvedConfig,
): { selected: T[] } | { error: ToolError } {
  // Accept both `--toolsets a,b` and repeated flags, whatever shape the command tree hands over.
  const names = (requested ?? [])
    .flatMap((entry) => entry.split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  const known = toolsetsOf(all);
  const unknown = names.filter((name) => name !== 'all' && !known.includes(name));
  if (unknown.length > 0) {
    const message = `Unknown toolset${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`;
    return {
      error: new ToolError('invalid_input', message, { hint: `Known toolsets: ${known.join(', ')}` }),
    };
  }
  return {
    selected: selectFrom(
      { ...(names.length > 0 ? { toolsets: names } : {}), ...(config ? { config } : {}) },
      all,
    ),
  };
}

function fail(error: ToolError, code: number): number {
  process.stderr.write(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
  return code;
}

/** package.json sits at the package root: one level up from source, two from dist/. */
function packageVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    const url = new URL(up, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'datastack' && pkg.version) return pkg.version;
  }
  return '0.0.0';
}
