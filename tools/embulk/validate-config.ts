import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { defineTool } from '../core/types.js';
import { configProblems } from './config-file.js';

const Input = z.object({
  config: z.string().min(1).describe("Workspace path of the Embulk config, e.g. 'embulk/sales.yml'"),
});

const Output = z.object({
  config: z.string().describe('The config checked'),
  valid: z.boolean().describe('True when no problem was found'),
  problems: z
    .array(
      z.object({
        path: z.string().describe('Key path, e.g. in.parser.columns.0.type'),
        message: z.string().describe('What is wrong'),
      }),
    )
    .describe('Problems found'),
  plugins: z.array(z.string()).describe('Plugins the config uses (kind:type)'),
});

export const embulkValidate = defineTool({
  name: 'embulk_validate',
  title: 'Validate Embulk config',
  description:
    'Check an Embulk config without running Embulk: YAML syntax, required keys (in, out, type, path_prefix, parser columns), column types, and that each plugin is one this install provides.',
  toolset: 'embulk',
  positional: ['config'],
  input: Input,
  output: Output,
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  toText: (o) =>
    o.valid
      ? `${o.config} is valid (${o.plugins.join(', ')})`
      : [
          `${o.config} has ${o.problems.length} problem(s):`,
          ...o.problems.map((p) => `  ${p.path}: ${p.message}`),
        ].join('\n'),
  async run(input, ctx) {
    const path = ctx.workspace.resolve(input.config);
    const display = ctx.workspace.display(path);
    const text = await readFile(path, 'utf8').catch((error: unknown) => {
      throw new ToolError('not_found', `No Embulk config at ${display}`, {
        hint: 'Write one with `datastack embulk generate SOURCE`',
        cause: error,
      });
    });
    const { parse } = await import('yaml');
    let raw: unknown;
    try {
      raw = parse(text);
    } catch (error) {
      return {
        config: display,
        valid: false,
        problems: [{ path: '(yaml)', message: (error as Error).message.split('\n')[0] ?? 'invalid YAML' }],
        plugins: [],
      };
    }
    const problems = configProblems(raw);
    return { config: display, valid: problems.length === 0, problems, plugins: pluginsOf(raw) };
  },
});

function pluginsOf(raw: unknown): string[] {
  const config = raw as {
    in?: { type?: unknown; parser?: { type?: unknown } };
    out?: { type?: unknown; formatter?: { type?: unknown } };
  } | null;
  const pairs: [string, unknown][] = [
    ['input', config?.in?.type],
    ['parser', config?.in?.parser?.type],
    ['output', config?.out?.type],
    ['formatter', config?.out?.formatter?.type],
  ];
  return pairs
    .filter(([, type]) => typeof type === 'string')
    .map(([kind, type]) => `${kind}:${String(type)}`);
}
