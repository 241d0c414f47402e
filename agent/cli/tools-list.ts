/**
 * `datastack tools list`: the registry as the manifest describes it. On the start-up budget
 * (≤ 2× `node -e 0`), so it reads the manifest JSON and nothing else.
 */
import type { ToolManifestEntry } from '../../tools/manifest.js';
import { EXIT, outputWidth, reportError, type CliGlobals, type CliIO } from './io.js';
import { renderJson, renderTable } from './render.js';
import { annotationWords } from './tool-commands.js';

export function listTools(
  io: CliIO,
  manifest: readonly ToolManifestEntry[],
  globals: CliGlobals,
  toolset?: string,
): number {
  if (toolset && !manifest.some((entry) => entry.toolset === toolset)) {
    const known = [...new Set(manifest.map((entry) => entry.toolset))].join(', ');
    return reportError(
      io,
      { code: 'usage', message: `Unknown toolset "${toolset}"`, hint: `Known toolsets: ${known}` },
      Boolean(globals.json),
    );
  }
  const entries = manifest.filter(
    (entry) => (!toolset || entry.toolset === toolset) && (!globals.readOnly || entry.annotations.readOnly),
  );
  if (globals.json) {
    const listed = entries.map((entry) => ({
      name: entry.name,
      title: entry.title,
      toolset: entry.toolset,
      action: entry.action,
      command: `datastack ${entry.toolset} ${entry.action}`,
      aliases: entry.aliases,
      annotations: entry.annotations,
      description: entry.description,
    }));
    io.stdout.write(renderJson(listed));
    return EXIT.ok;
  }
  const rows = entries.map((entry) => ({
    command: `${entry.toolset} ${entry.action}`,
    tool: entry.name,
    annotations: annotationWords(entry.annotations).join(', '),
    title: entry.title,
  }));
  io.stdout.write(rows.length ? `${renderTable(rows, { width: outputWidth(io) })}\n` : 'No tools.\n');
  return EXIT.ok;
}
