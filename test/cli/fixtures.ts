/**
 * Fixture tools and an in-process runner for the CLI: `main` with captured streams and a registry
 * of tools whose schemas exercise every flag kind, one destructive tool that really deletes a file,
 * one write tool, and one that crashes.
 */
import { rm, writeFile } from 'node:fs/promises';
import { PassThrough, Writable } from 'node:stream';
import { z } from 'zod';
import { main } from '../../agent/cli/program.js';
import { ToolError } from '../../tools/core/errors.js';
import { defineTool, type AnyTool } from '../../tools/core/types.js';

const echo = defineTool({
  name: 'fixture_echo',
  title: 'Echo input',
  description: 'Returns its parsed input.',
  toolset: 'fixture',
  aliases: ['say'],
  positional: ['message'],
  input: z.object({
    message: z.string().describe('What to echo'),
    times: z.number().default(1).describe('A number'),
    max_depth: z.number().int().min(0).max(9).optional().describe('An integer'),
    shout: z.boolean().default(false).describe('Upper-case it'),
    trim: z.boolean().default(true).describe('Trim spaces'),
    format: z.enum(['table', 'csv']).default('table').describe('Output format'),
    tags: z.array(z.string()).default([]).describe('Labels'),
    sizes: z.array(z.number().int()).optional().describe('Sizes'),
    note: z.string().nullable().optional().describe('A nullable note'),
  }),
  output: z.object({
    input: z.record(z.string(), z.unknown()).describe('The input as the tool received it'),
  }),
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  run(input) {
    return Promise.resolve({ input });
  },
});

const deleteFile = defineTool({
  name: 'fixture_delete_file',
  title: 'Delete a file',
  description: 'Deletes one file in the workspace.',
  toolset: 'fixture',
  positional: ['path'],
  input: z.object({ path: z.string().describe('File to delete') }),
  output: z.object({ deleted: z.string().describe('The path deleted') }),
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: false },
  confirmSummary: (input) => `Delete ${input.path}`,
  async run(input, ctx) {
    const full = ctx.workspace.resolve(input.path);
    try {
      await rm(full);
    } catch {
      throw new ToolError('not_found', `File not found: ${input.path}`, { hint: 'List the files first' });
    }
    return { deleted: input.path };
  },
});

const writeNote = defineTool({
  name: 'fixture_write_note',
  title: 'Write a note',
  description: 'Writes note.txt in the workspace.',
  toolset: 'fixture',
  input: z.object({ text: z.string().describe('Note text') }),
  output: z.object({ written: z.boolean().describe('Whether it was written') }),
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: false },
  async run(input, ctx) {
    await writeFile(ctx.workspace.resolve('note.txt'), input.text);
    return { written: true };
  },
});

const crash = defineTool({
  name: 'fixture_crash',
  title: 'Crash',
  description: 'Throws a plain Error, as a bug would.',
  toolset: 'fixture',
  input: z.object({}),
  output: z.object({}),
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  run() {
    return Promise.reject(new Error('boom inside the tool'));
  },
});

export const FIXTURE_TOOLS: readonly AnyTool[] = [echo, deleteFile, writeNote, crash];

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  /** Pretend stdin and stderr are a terminal, and type this answer into stdin. */
  ttyAnswer?: string;
  env?: NodeJS.ProcessEnv;
  tools?: readonly AnyTool[];
}

export async function runInProcess(argv: string[], options: InProcessOptions = {}): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const tty = options.ttyAnswer !== undefined;
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  if (tty) stdin.end(options.ttyAnswer);
  else stdin.end();
  const code = await main(argv, {
    tools: options.tools ?? FIXTURE_TOOLS,
    stdout: collector((text) => (stdout += text), false),
    // A real stream: readline (the y/N question) listens for events on it.
    stderr: collector((text) => (stderr += text), tty),
    stdin,
    env: { XDG_CONFIG_HOME: '/nonexistent', ...options.env },
  });
  return { code, stdout, stderr };
}

function collector(
  sink: (text: string) => void,
  isTTY: boolean,
): Writable & { isTTY: boolean; columns: number } {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      sink(chunk.toString());
      callback();
    },
  });
  return Object.assign(stream, { isTTY, columns: 80 });
}
