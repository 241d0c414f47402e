/**
 * zod → JSON Schema, once per tool and cached: the Anthropic `input_schema`, the MCP
 * `inputSchema` and `outputSchema` all come from the same zod objects.
 */
import { z } from 'zod';
import type { AnyTool } from './types.js';

export type JsonSchemaObject = { type: 'object'; properties?: Record<string, unknown>; required?: string[] } & Record<
  string,
  unknown
>;

const cache = new WeakMap<z.ZodType, { input?: JsonSchemaObject; output?: JsonSchemaObject }>();

function convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchemaObject {
  let entry = cache.get(schema);
  if (!entry) cache.set(schema, (entry = {}));
  const cached = entry[io];
  if (cached) return cached;
  // `io: 'input'` makes fields with defaults optional, as a caller sees them.
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  const result = { ...json, type: 'object' } as JsonSchemaObject;
  entry[io] = result;
  return result;
}

export function inputJsonSchema(tool: AnyTool): JsonSchemaObject {
  return convert(tool.input, 'input');
}

export function outputJsonSchema(tool: AnyTool): JsonSchemaObject {
  return convert(tool.output, 'output');
}
