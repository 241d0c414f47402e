/**
 * zod → JSON Schema, once per tool and cached: the Anthropic `input_schema`, the MCP
 * `inputSchema` and `outputSchema` all come from the same zod objects. The build writes them to
 * the manifest too; servers prime this cache from it, so listing tools converts nothing.
 */
import { z } from 'zod';
import type { AnyTool } from './types.js';

export type JsonSchemaObject = { type: 'object'; properties?: Record<string, unknown>; required?: string[] } & Record<
  string,
  unknown
>;

interface ToolSchemas {
  input?: JsonSchemaObject;
  output?: JsonSchemaObject;
}

const cache = new WeakMap<z.ZodType, ToolSchemas>();
const primed = new Map<string, Required<ToolSchemas>>();

/** Schemas computed at build time (the manifest), looked up by tool name before converting. */
export function primeJsonSchemas(
  entries: Iterable<{ name: string; inputSchema: JsonSchemaObject; outputSchema: JsonSchemaObject }>,
): void {
  for (const entry of entries) primed.set(entry.name, { input: entry.inputSchema, output: entry.outputSchema });
}

function convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchemaObject {
  let entry = cache.get(schema);
  if (!entry) cache.set(schema, (entry = {}));
  const cached = entry[io];
  if (cached) return cached;
  // `io: 'input'` makes fields with defaults optional, as a caller sees them.
  const json = compact(z.toJSONSchema(schema, { io, unrepresentable: 'any' })) as Record<string, unknown>;
  const result = { ...json, type: 'object' } as JsonSchemaObject;
  entry[io] = result;
  return result;
}

/**
 * Drops what costs tokens in every tools/list and tells a reader nothing: the `$schema` URL, zod's
 * `additionalProperties: false` on output objects, and `propertyNames: {type: string}` on records.
 */
function compact(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compact);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'propertyNames' || (key === 'additionalProperties' && value === false)) continue;
    out[key] = compact(value);
  }
  return out;
}

export function inputJsonSchema(tool: AnyTool): JsonSchemaObject {
  return primed.get(tool.name)?.input ?? convert(tool.input, 'input');
}

export function outputJsonSchema(tool: AnyTool): JsonSchemaObject {
  return primed.get(tool.name)?.output ?? convert(tool.output, 'output');
}
