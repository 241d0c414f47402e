/**
 * A JSON copy of the registry's data (names, annotations, JSON schemas), written at build time
 * next to the compiled registry. Start-up paths (`tools list`, `--help`, building the command tree)
 * read it instead of importing zod and every tool module; running a tool loads the real registry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyTool, ToolAnnotations } from './core/types.js';
import type { JsonSchemaObject } from './core/json-schema.js';

export interface ToolManifestEntry {
  name: string;
  title: string;
  description: string;
  toolset: string;
  action: string;
  aliases: string[];
  positional: string[];
  annotations: ToolAnnotations;
  inputSchema: JsonSchemaObject;
  outputSchema: JsonSchemaObject;
  /** The compiled module that defines the tool, relative to the manifest: run loads only it. */
  module?: string;
}

export const MANIFEST_URL = new URL('./manifest.json', import.meta.url);

/**
 * Builds the manifest from the live registry (used by the build script and when running from
 * source), or from the given tools (tests running the CLI on fixture tools).
 */
export async function buildManifest(tools?: readonly AnyTool[]): Promise<ToolManifestEntry[]> {
  const [registry, { inputJsonSchema, outputJsonSchema }, { actionName }] = await Promise.all([
    tools ? { ALL_TOOLS: tools } : import('./index.js'),
    import('./core/json-schema.js'),
    import('./core/invoke.js'),
  ]);
  const modules = tools ? new Map<AnyTool, string>() : await definingModules(registry.ALL_TOOLS);
  return registry.ALL_TOOLS.map((tool) => {
    const module = modules.get(tool);
    return {
      ...(module ? { module } : {}),
      name: tool.name,
      title: tool.title,
      description: tool.description,
      toolset: tool.toolset,
      action: actionName(tool),
      aliases: [...(tool.aliases ?? [])],
      positional: [...(tool.positional ?? [])],
      annotations: tool.annotations,
      inputSchema: inputJsonSchema(tool),
      outputSchema: outputJsonSchema(tool),
    };
  });
}

/**
 * Which compiled file defines each tool: every module under the registry's folder is imported
 * (at build time only) and its exports matched against the registry by identity. A tool
 * re-exported by an index is credited to the file that is not an index.
 */
async function definingModules(tools: readonly AnyTool[]): Promise<Map<AnyTool, string>> {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const wanted = new Set<unknown>(tools);
  const found = new Map<AnyTool, string>();
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .sort((a, b) => Number(basename(a) === 'index.js') - Number(basename(b) === 'index.js'));
  for (const file of files) {
    const exports = (await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (wanted.has(value) && !found.has(value as AnyTool))
        found.set(value as AnyTool, file.split(sep).join('/'));
    }
  }
  return found;
}

/**
 * The tool behind a manifest entry, importing only the module that defines it (a few modules,
 * not all of them: the CLI runs one tool per process). Falls back to the whole registry.
 */
export async function loadManifestTool(
  entry: Pick<ToolManifestEntry, 'name' | 'module'>,
): Promise<AnyTool | undefined> {
  if (entry.module) {
    try {
      const exports = (await import(new URL(entry.module, MANIFEST_URL).href)) as Record<string, unknown>;
      const tool = Object.values(exports).find(
        (value): value is AnyTool =>
          typeof value === 'object' && value !== null && (value as AnyTool).name === entry.name,
      );
      if (tool) return tool;
    } catch {
      // A stale manifest (moved file): the registry still knows the tool.
    }
  }
  return (await import('./index.js')).findTool(entry.name);
}

let cached: ToolManifestEntry[] | undefined;

export async function loadManifest(): Promise<ToolManifestEntry[]> {
  if (cached) return cached;
  try {
    cached = JSON.parse(readFileSync(MANIFEST_URL, 'utf8')) as ToolManifestEntry[];
  } catch {
    cached = await buildManifest();
  }
  return cached;
}
