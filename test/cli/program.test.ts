/**
 * The command tree in-process, over fixture tools: generated commands and flags, output, errors
 * and exit codes, the --yes gate and --read-only. Assertions are on exit codes, stdout JSON and
 * the files on disk.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { runInProcess } from './fixtures.js';

let ws: TempWorkspace;
beforeEach(() => {
  ws = makeWorkspace({ 'victim.txt': 'precious' });
});
afterEach(() => ws.cleanup());

type Echoed = { input: Record<string, unknown> };
type ErrorJson = { error: { code: string; message: string; hint?: string } };
const parse = <T>(text: string): T => JSON.parse(text) as T;

const cli = (args: string[], options: Parameters<typeof runInProcess>[1] = {}) =>
  runInProcess(['--cwd', ws.root, ...args], options);

describe('generated tool commands', () => {
  it('runs a tool with its positional and the schema defaults, printing JSON', async () => {
    const result = await cli(['fixture', 'echo', 'hello', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      input: { message: 'hello', times: 1, shout: false, trim: true, format: 'table', tags: [] },
    });
  });

  it('turns every kind of flag into typed, snake_case input', async () => {
    const result = await cli([
      '--json',
      'fixture',
      'echo',
      'hi',
      ...['--times', '2.5', '--max-depth', '3', '--shout', '--no-trim', '--format', 'csv'],
      ...['--tags', 'a,b', '--tags', 'c', '--sizes', '1', '--sizes', '2,3', '--note', 'n'],
    ]);
    expect(result.stderr).toBe('');
    expect(parse<Echoed>(result.stdout).input).toEqual({
      message: 'hi',
      times: 2.5,
      max_depth: 3,
      shout: true,
      trim: false,
      format: 'csv',
      tags: ['a', 'b', 'c'],
      sizes: [1, 2, 3],
      note: 'n',
    });
  });

  it('takes a positional as a flag too, but not both at once', async () => {
    const result = await cli(['fixture', 'echo', '--message', 'as-flag', '--json']);
    expect(result.code).toBe(0);
    expect(parse<Echoed>(result.stdout).input.message).toBe('as-flag');
    const both = await cli(['fixture', 'echo', 'one', '--message', 'two']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('error: message given twice');
  });

  it('answers to the tool aliases', async () => {
    const result = await cli(['fixture', 'say', 'via-alias', '--json']);
    expect(result.code).toBe(0);
    expect(parse<Echoed>(result.stdout).input.message).toBe('via-alias');
  });

  it('prints human output by default', async () => {
    const result = await cli(['fixture', 'echo', 'hello', '--tags', 'x,y']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^input:\n/);
    expect(result.stdout).toMatch(/ {2}message: +hello\n/);
    expect(result.stdout).toMatch(/ {2}tags: +x, y\n/);
  });

  it('shows title, flags with choices and defaults, and annotations in tool help', async () => {
    const result = await cli(['fixture', 'echo', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Echo input. Returns its parsed input.');
    expect(result.stdout).toMatch(
      /--format <choice> +Output format \(choices: table, csv\) \(default: "table"\)/,
    );
    expect(result.stdout).toMatch(/--max-depth <int>/);
    expect(result.stdout).toContain('--no-trim');
    expect(result.stdout).toContain('Tool: fixture_echo (read-only, idempotent)');
    const destructive = await cli(['fixture', 'delete-file', '--help']);
    expect(destructive.stdout).toContain('Destructive: it asks y/N on a terminal; scripts must pass --yes');
  });
});

describe('errors and exit codes', () => {
  it('rejects an invalid enum value with exit 2 before running anything', async () => {
    const result = await cli(['fixture', 'echo', 'hi', '--format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: option '--format <choice>' argument 'xml' is invalid\. 'xml' is not one of table, csv\n/,
    );
    expect(result.stdout).toBe('');
  });

  it('suggests the closest flag and command', async () => {
    const flag = await cli(['fixture', 'echo', 'hi', '--shuot']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("error: unknown option '--shuot'");
    expect(flag.stderr).toContain('hint: Did you mean --shout? See `datastack fixture echo --help`');
    const command = await cli(['fixture', 'ecko']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('Did you mean echo?');
  });

  it('prints a JSON error on stdout with --json', async () => {
    const result = await cli(['--json', 'fixture', 'echo', 'hi', '--times', 'many']);
    expect(result.code).toBe(2);
    const { error } = parse<ErrorJson>(result.stdout);
    expect(error.code).toBe('usage');
    expect(error.message).toContain("'many' is not a number");
  });

  it('reports a missing positional as a usage error', async () => {
    const result = await cli(['fixture', 'echo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: missing required argument 'message'");
  });

  it('reports schema violations found by zod as invalid input, exit 2', async () => {
    const result = await cli(['--json', 'fixture', 'echo', 'hi', '--max-depth', '12']);
    expect(result.code).toBe(2);
    const { error } = parse<ErrorJson>(result.stdout);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/^Invalid arguments for fixture_echo: max_depth:/);
  });

  it("reports a tool's ToolError with its hint, exit 1", async () => {
    const result = await cli(['--yes', 'fixture', 'delete-file', 'missing.txt']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: File not found: missing.txt\nhint: List the files first\n');
    const json = await cli(['--yes', '--json', 'fixture', 'delete-file', 'missing.txt']);
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        code: 'not_found',
        message: 'File not found: missing.txt',
        hint: 'List the files first',
        recoverable: true,
      },
    });
  });

  it('refuses paths outside the workspace', async () => {
    const result = await cli(['--yes', 'fixture', 'delete-file', '../outside.txt']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is outside the workspace');
  });

  it('shows no stack trace for a crashing tool unless DATASTACK_DEBUG=1', async () => {
    const plain = await cli(['fixture', 'crash']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error: boom inside the tool\nhint: .*DATASTACK_DEBUG=1/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await cli(['fixture', 'crash'], { env: { DATASTACK_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('exits 2 for a toolset without an action', async () => {
    const result = await cli(['fixture']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: datastack fixture');
  });
});

describe('--yes gate for destructive tools', () => {
  const victim = () => join(ws.root, 'victim.txt');

  it('refuses without --yes when nobody can be asked, and deletes nothing', async () => {
    const result = await cli(['fixture', 'delete-file', 'victim.txt']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error: fixture_delete_file is destructive and there is no terminal to ask for confirmation',
    );
    expect(result.stderr).toContain('hint: Pass --yes');
    expect(existsSync(victim())).toBe(true);
  });

  it('runs with --yes', async () => {
    const result = await cli(['--json', '--yes', 'fixture', 'delete-file', 'victim.txt']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ deleted: 'victim.txt' });
    expect(existsSync(victim())).toBe(false);
  });

  it('asks y/N on a terminal: y runs it', async () => {
    const result = await cli(['fixture', 'delete-file', 'victim.txt'], { ttyAnswer: 'y\n' });
    expect(result.stderr).toContain('Delete victim.txt. Run fixture_delete_file? [y/N]');
    expect(result.code).toBe(0);
    expect(existsSync(victim())).toBe(false);
  });

  it('asks y/N on a terminal: anything else cancels', async () => {
    const result = await cli(['fixture', 'delete-file', 'victim.txt'], { ttyAnswer: '\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: Cancelled: fixture_delete_file was not run');
    expect(existsSync(victim())).toBe(true);
  });
});

describe('--read-only', () => {
  it('hides tools that change something from help and from tools list', async () => {
    const help = await cli(['--read-only', 'fixture', '--help']);
    expect(help.stdout).toContain('echo');
    expect(help.stdout).not.toContain('delete-file');
    expect(help.stdout).not.toContain('write-note');
    const list = await cli(['--read-only', '--json', 'tools', 'list']);
    expect(parse<Array<{ name: string }>>(list.stdout).map((t) => t.name)).toEqual([
      'fixture_echo',
      'fixture_crash',
    ]);
  });

  it('refuses to run them, even with --yes', async () => {
    const result = await cli(['--read-only', '--yes', 'fixture', 'delete-file', 'victim.txt']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: fixture_delete_file changes data and read-only mode is on');
    expect(existsSync(join(ws.root, 'victim.txt'))).toBe(true);
    const write = await cli(['--read-only', 'fixture', 'write-note', '--text', 'x']);
    expect(write.code).toBe(1);
    expect(existsSync(join(ws.root, 'note.txt'))).toBe(false);
  });

  it('still runs write tools without it', async () => {
    const write = await cli(['fixture', 'write-note', '--text', 'x']);
    expect(write.code).toBe(0);
    expect(existsSync(join(ws.root, 'note.txt'))).toBe(true);
  });
});

describe('tools list', () => {
  it('lists every tool with toolset, action and annotations', async () => {
    const result = await cli(['tools', 'list', '--json']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(listed.map((t) => t.name)).toEqual([
      'fixture_echo',
      'fixture_delete_file',
      'fixture_write_note',
      'fixture_crash',
    ]);
    expect(listed[1]).toMatchObject({
      toolset: 'fixture',
      action: 'delete-file',
      annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: false },
    });
  });

  it('prints a table, filtered by toolset, and rejects an unknown toolset', async () => {
    const table = await cli(['tools', 'list', '--toolset', 'fixture']);
    expect(table.stdout.split('\n')[0]).toMatch(/^COMMAND +TOOL +ANNOTATIONS +TITLE$/);
    expect(table.stdout).toMatch(
      /fixture delete-file +fixture_delete_file +destructive, idempotent +Delete a file/,
    );
    const unknown = await cli(['tools', 'list', '--toolset', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: Unknown toolset "nope"');
  });
});
