/** Schema → CLI flags: the JSON schemas zod really produces, read into flag specs and coerced back. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  appendItems,
  coerceValue,
  describeField,
  fieldSpecs,
  FlagValueError,
  type FieldSpec,
} from '../../agent/cli/flags.js';
import { inputJsonSchema } from '../../tools/core/json-schema.js';
import { defineTool } from '../../tools/core/types.js';

function specsOf(input: z.ZodObject, positional: string[] = []): Record<string, FieldSpec> {
  const tool = defineTool({
    name: 't_x',
    title: 'x',
    description: 'x',
    toolset: 't',
    input,
    output: z.object({}),
    annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
    run: () => Promise.resolve({}),
  });
  return Object.fromEntries(fieldSpecs(inputJsonSchema(tool), positional).map((spec) => [spec.field, spec]));
}

describe('fieldSpecs', () => {
  const specs = specsOf(
    z.object({
      dataset: z.string().describe('File to read'),
      max_rows: z.number().int().default(50).describe('Row cap'),
      ratio: z.number().optional().describe('A ratio'),
      save_as: z.enum(['parquet', 'csv']).optional().describe('Format'),
      include_nulls: z.boolean().default(true).describe('Count nulls'),
      columns: z.array(z.string()).default([]).describe('Columns'),
      levels: z
        .array(z.enum(['low', 'high']))
        .optional()
        .describe('Levels'),
      note: z.string().nullable().optional().describe('Note'),
      json: z.boolean().optional().describe('Clashes with the global --json'),
      options: z.object({ a: z.number() }).optional().describe('Nested'),
    }),
  );

  it('turns snake_case into kebab-case flags and keeps the snake_case field', () => {
    expect(specs.max_rows).toMatchObject({
      field: 'max_rows',
      flag: 'max-rows',
      kind: 'integer',
      default: 50,
      required: false,
    });
    expect(specs.save_as?.flag).toBe('save-as');
    expect(specs.include_nulls?.flag).toBe('include-nulls');
  });

  it('reads types, requiredness and descriptions', () => {
    expect(specs.dataset).toMatchObject({ kind: 'string', required: true, description: 'File to read' });
    expect(specs.ratio).toMatchObject({ kind: 'number', required: false });
    expect(specs.include_nulls).toMatchObject({ kind: 'boolean', default: true });
    expect(specs.note).toMatchObject({ kind: 'string', description: 'Note' });
    expect(specs.options?.kind).toBe('json');
  });

  it('reads enums and arrays, including arrays of enums', () => {
    expect(specs.save_as).toMatchObject({ kind: 'enum', choices: ['parquet', 'csv'] });
    expect(specs.columns).toMatchObject({ kind: 'array', itemKind: 'string', default: [] });
    expect(specs.levels).toMatchObject({ kind: 'array', itemKind: 'enum', choices: ['low', 'high'] });
  });

  it('renames fields that collide with the global flags', () => {
    expect(specs.json?.flag).toBe('input-json');
  });

  it('puts positionals first, in the order the tool lists them', () => {
    const ordered = fieldSpecs(
      inputJsonSchema(
        defineTool({
          name: 't_y',
          title: 'y',
          description: 'y',
          toolset: 't',
          positional: ['target', 'source'],
          input: z.object({
            flag: z.boolean().optional().describe('f'),
            source: z.string().describe('s'),
            target: z.string().describe('t'),
          }),
          output: z.object({}),
          annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
          run: () => Promise.resolve({}),
        }),
      ),
      ['target', 'source'],
    );
    expect(ordered.map((s) => [s.field, s.positional])).toEqual([
      ['target', true],
      ['source', true],
      ['flag', false],
    ]);
  });

  it('writes help with choices, defaults and requiredness', () => {
    expect(describeField(specs.save_as!)).toBe('Format (choices: parquet, csv)');
    expect(describeField(specs.max_rows!)).toBe('Row cap (default: 50)');
    expect(describeField(specs.dataset!)).toBe('File to read (required)');
    expect(describeField(specs.columns!)).toContain('repeat the flag or separate with commas');
  });
});

describe('coercion', () => {
  it('parses numbers and integers, and rejects what is not one', () => {
    expect(coerceValue('number', '2.5')).toBe(2.5);
    expect(coerceValue('integer', '7')).toBe(7);
    expect(() => coerceValue('integer', '7.5')).toThrow(FlagValueError);
    expect(() => coerceValue('number', 'abc')).toThrow(/not a number/);
    expect(() => coerceValue('number', '')).toThrow(FlagValueError);
  });

  it('accepts only the listed choices', () => {
    expect(coerceValue('enum', 'csv', ['parquet', 'csv'])).toBe('csv');
    expect(() => coerceValue('enum', 'xlsx', ['parquet', 'csv'])).toThrow(
      "'xlsx' is not one of parquet, csv",
    );
  });

  it('reads JSON where the schema is not a plain type, else keeps the text', () => {
    expect(coerceValue('json', '{"a":1}')).toEqual({ a: 1 });
    expect(coerceValue('json', 'plain')).toBe('plain');
  });

  it('accumulates repeated and comma-separated array values, typed per item', () => {
    const ints: FieldSpec = {
      field: 'sizes',
      flag: 'sizes',
      kind: 'array',
      itemKind: 'integer',
      required: false,
      positional: false,
    };
    expect(appendItems(ints, '3', appendItems(ints, '1, 2', undefined))).toEqual([1, 2, 3]);
    expect(() => appendItems(ints, '1,x', undefined)).toThrow(FlagValueError);
    const strings: FieldSpec = { ...ints, itemKind: 'string' };
    expect(appendItems(strings, '["a,b", "c"]', ['z'])).toEqual(['z', 'a,b', 'c']);
    // Commas inside brackets or quotes belong to the item: `--set data.features=[age,income]`.
    expect(appendItems(strings, 'data.features=[age,income],seed=3', undefined)).toEqual([
      'data.features=[age,income]',
      'seed=3',
    ]);
    expect(appendItems(strings, `name="a, b",x={"k": [1,2]}`, undefined)).toEqual([
      'name="a, b"',
      'x={"k": [1,2]}',
    ]);
  });
});
