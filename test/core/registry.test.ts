import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inputJsonSchema, outputJsonSchema } from '../../tools/core/json-schema.js';
import { ALL_TOOLS, findTool, selectTools, toolsetNames } from '../../tools/index.js';
import { buildManifest } from '../../tools/manifest.js';
import { loadConfig } from '../../tools/core/config.js';
import { configFor, makeWorkspace } from '../helpers/workspace.js';

/** Every leaf field of an object schema, with its path, to check each one is described. */
function fields(schema: z.ZodType, path: string): Array<[string, z.ZodType]> {
  let inner: z.ZodType = schema;
  // Unwrap optional/default/nullable wrappers to reach the field's own type.
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) {
    inner = inner.unwrap() as z.ZodType;
  }
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, value]) => [
      [`${path}.${key}`, value] as [string, z.ZodType],
      ...fields(value, `${path}.${key}`),
    ]);
  }
  if (inner instanceof z.ZodArray) return fields(inner.element as z.ZodType, `${path}[]`);
  return [];
}

describe('the registry', () => {
  it('has tools, each with a unique valid name prefixed by its toolset', () => {
    expect(ALL_TOOLS.length).toBeGreaterThan(0);
    const names = ALL_TOOLS.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const tool of ALL_TOOLS) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
      expect(tool.name.startsWith(`${tool.toolset}_`)).toBe(true);
      expect(tool.title.length).toBeGreaterThan(0);
      expect(tool.description.length).toBeGreaterThan(10);
    }
  });

  it('gives every tool annotations, consistent with each other', () => {
    for (const tool of ALL_TOOLS) {
      const { readOnly, destructive, idempotent, openWorld } = tool.annotations;
      for (const flag of [readOnly, destructive, idempotent, openWorld]) expect(typeof flag).toBe('boolean');
      // A destructive tool changes things, so it cannot also be read-only.
      if (destructive) expect(readOnly, tool.name).toBe(false);
    }
  });

  it('describes every input and output field', () => {
    for (const tool of ALL_TOOLS) {
      for (const [path, field] of [
        ...fields(tool.input, `${tool.name}.input`),
        ...fields(tool.output, `${tool.name}.output`),
      ]) {
        expect(field.description, `${path} needs .describe()`).toBeTruthy();
      }
    }
  });

  it('turns every input and output schema into an object JSON schema', () => {
    for (const tool of ALL_TOOLS) {
      const input = inputJsonSchema(tool);
      const output = outputJsonSchema(tool);
      expect(input.type).toBe('object');
      expect(output.type).toBe('object');
      expect(input).not.toHaveProperty('$schema');
      // Fields with defaults are optional to a caller.
      for (const [key, value] of Object.entries(tool.input.shape)) {
        if (value instanceof z.ZodDefault) expect(input.required ?? []).not.toContain(key);
      }
    }
  });

  it('filters by toolset and read-only', () => {
    const query = selectTools({ toolsets: ['query'] });
    expect(query.length).toBeGreaterThan(0);
    expect(query.every((tool) => tool.toolset === 'query')).toBe(true);
    expect(selectTools({ readOnly: true }).every((tool) => tool.annotations.readOnly)).toBe(true);
    expect(selectTools({ toolsets: ['nope'] })).toEqual([]);
    expect(toolsetNames()).toContain('query');
    expect(findTool('query_list_datasets')?.toolset).toBe('query');
  });

  it('offers by default only the toolsets the profile configures', async () => {
    const ws = makeWorkspace({
      'datastack.yaml': 'profiles:\n  lake:\n    nessie: { url: "http://127.0.0.1:1/api/v2" }\n',
    });
    try {
      const local = selectTools({ config: await configFor(ws.root) });
      expect(toolsetNames(local)).not.toContain('nessie');
      expect(toolsetNames(local)).toContain('query');
      const lake = selectTools({
        config: await loadConfig({ cwd: ws.root, env: {}, profile: 'lake', userConfigPath: '/nonexistent' }),
      });
      expect(toolsetNames(lake)).toContain('nessie');
      // Named toolsets and `all` override the profile.
      expect(toolsetNames(selectTools({ toolsets: ['nessie'], config: await configFor(ws.root) }))).toEqual([
        'nessie',
      ]);
      expect(selectTools({ toolsets: ['all'], config: await configFor(ws.root) })).toHaveLength(
        ALL_TOOLS.length,
      );
    } finally {
      ws.cleanup();
    }
  });

  it('matches the manifest written by the build', async () => {
    const built = new URL('../../dist/tools/manifest.json', import.meta.url);
    expect(existsSync(built), 'run `npm run build` first').toBe(true);
    const entries = JSON.parse(readFileSync(built, 'utf8')) as Array<{ name: string; module?: string }>;
    // `module` is found among the compiled files, so only the build has it.
    expect(entries.map(({ module: _module, ...rest }) => rest)).toEqual(await buildManifest());
  });

  it('names the compiled module that defines each tool, so running one loads only it', async () => {
    const built = new URL('../../dist/tools/manifest.json', import.meta.url);
    const entries = JSON.parse(readFileSync(built, 'utf8')) as Array<{ name: string; module?: string }>;
    for (const entry of entries) {
      expect(entry.module, entry.name).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+\.js$/);
      const exports = (await import(new URL(entry.module as string, built).href)) as Record<
        string,
        { name?: string }
      >;
      expect(
        Object.values(exports).map((value) => value?.name),
        entry.name,
      ).toContain(entry.name);
    }
  });
});
