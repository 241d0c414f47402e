/**
 * Choosing tools by toolset, read-only mode and profile. Works on anything shaped like a tool
 * (the registry's tools or the build's manifest entries), and imports no tool module, so a
 * server can choose from the manifest and load the registry only when a tool is called.
 */
import type { ResolvedConfig } from './core/config.js';
import type { ToolAnnotations } from './core/types.js';

export interface Selectable {
  name: string;
  toolset: string;
  annotations: ToolAnnotations;
}

export interface ToolFilter {
  /** Only these toolsets (component groups); `all` means every toolset, configured or not. */
  toolsets?: readonly string[];
  /** Hide every tool that is not read-only. */
  readOnly?: boolean;
  /**
   * Without explicit toolsets, offer only those whose component this profile configures: a model
   * pays tokens for every tool listed, and Nessie tools cannot work in a profile without Nessie.
   */
  config?: ResolvedConfig;
}

/** Toolsets that need a section of the profile; the rest work on the embedded default. */
const NEEDS_CONFIG: Readonly<Record<string, (config: ResolvedConfig) => boolean>> = {
  nessie: (config) => config.nessie !== undefined,
  iceberg: (config) => config.iceberg !== undefined,
  dremio: (config) => config.dremio?.url !== undefined,
  airflow: (config) => config.airflow?.url !== undefined,
  // Claude's advice needs a key; an MCP client brings its own model, so it is not offered there.
  ai: (config) => config.anthropic.api_key !== undefined,
};

export function toolsetConfigured(toolset: string, config: ResolvedConfig): boolean {
  return NEEDS_CONFIG[toolset]?.(config) ?? true;
}

export function selectFrom<T extends Selectable>(filter: ToolFilter, tools: readonly T[]): T[] {
  const named = filter.toolsets?.filter((name) => name !== 'all') ?? [];
  const all = filter.toolsets?.includes('all') ?? false;
  const wanted = named.length > 0 ? new Set(named) : undefined;
  const { config } = filter;
  return tools.filter(
    (tool) =>
      (wanted ? wanted.has(tool.toolset) : all || !config || toolsetConfigured(tool.toolset, config)) &&
      (!filter.readOnly || tool.annotations.readOnly),
  );
}

export function toolsetsOf(tools: readonly Selectable[]): string[] {
  return [...new Set(tools.map((tool) => tool.toolset))];
}
