/**
 * A JSON copy of the registry's data (names, annotations, JSON schemas), written at build time
 * next to the compiled registry. Start-up paths (`tools list`, `--help`, building the command tree)
 * read it instead of importing zod and every tool module; running a tool loads the real registry.
 */
import { readFileSync } from 'node:fs';
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
  return registry.ALL_TOOLS.map((tool) => ({
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
  }));
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
