/**
 * `datastack mcp` over stdio: the built bin as a child process, driven by the SDK's real Client
 * through StdioClientTransport, plus a raw child to check that stdout carries JSON-RPC only.
 * Needs `npm run build` first (the `test` script does it).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ALL_TOOLS, toolsetNames } from '../../tools/index.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { childEnv, firstText, mcpCommand, newClient, validateOutput } from './harness.js';
import { NOT_CONFIGURED_TOOLSETS } from './fixtures.js';

let ws: TempWorkspace;
const open: Array<() => Promise<void>> = [];

beforeEach(() => {
  ws = makeWorkspace({
    'data/sales.csv': 'region,revenue\nnorth,10\nsouth,20\n',
    'raw/events.jsonl': '{"a":1}\n',
  });
});
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
  ws.cleanup();
});

async function startStdio(args: string[] = [], env: Record<string, string> = {}) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: mcpCommand(args),
    cwd: ws.root,
    env: childEnv(ws.root, env),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = newClient();
  await client.connect(transport);
  open.push(() => client.close());
  return { client, transport, stderr: () => stderr };
}

const OFFERED = ALL_TOOLS.filter((t) => !NOT_CONFIGURED_TOOLSETS.has(t.toolset));
const readOnlyNames = OFFERED.filter((t) => t.annotations.readOnly).map((t) => t.name);
const changingTools = OFFERED.filter((t) => !t.annotations.readOnly);

describe('datastack mcp (stdio)', () => {
  it('offers the toolsets of unconfigured services only when asked for (--toolsets all)', async () => {
    const { client } = await startStdio(['--toolsets', 'all']);
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(ALL_TOOLS.map((t) => t.name).sort());
  });

  it('lists every tool with annotations and output schemas, and sends instructions', async () => {
    const { client } = await startStdio();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(OFFERED.map((t) => t.name).sort());
    for (const tool of tools) {
      expect(tool.outputSchema?.type).toBe('object');
      expect(Object.keys(tool.annotations ?? {}).sort()).toEqual(
        ['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint', 'title'].sort(),
      );
    }
    expect(client.getInstructions()).toContain(`Toolsets offered here: ${toolsetNames(OFFERED).join(', ')}.`);
    expect(client.getServerVersion()).toMatchObject({
      name: 'datastack',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown,
    });
  });

  it('calls a tool in the workspace: structuredContent validates and reflects the files', async () => {
    const { client } = await startStdio();
    const { tools } = await client.listTools();
    const result = await client.callTool({ name: 'query_list_datasets', arguments: {} });
    expect(result.isError).toBeFalsy();
    const content = result.structuredContent as {
      datasets: Array<{ path: string; format: string }>;
      total: number;
    };
    expect(content.datasets.map((d) => [d.path, d.format])).toEqual([
      ['data/sales.csv', 'csv'],
      ['raw/events.jsonl', 'json'],
    ]);
    expect(content.total).toBe(2);
    expect(
      validateOutput(
        tools.find((t) => t.name === 'query_list_datasets'),
        content,
      ),
    ).toEqual({ valid: true });
  });

  it('runs DuckDB SQL over a workspace file: rows come back as structuredContent that validates', async () => {
    const { client } = await startStdio();
    const { tools } = await client.listTools();
    const sql = "select region, revenue from 'data/sales.csv' order by revenue desc";
    const result = await client.callTool({ name: 'query_sql', arguments: { sql } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      row_count: 2,
      truncated: false,
      rows: [
        { region: 'south', revenue: 20 },
        { region: 'north', revenue: 10 },
      ],
    });
    expect(
      validateOutput(
        tools.find((t) => t.name === 'query_sql'),
        result.structuredContent,
      ),
    ).toEqual({ valid: true });
    expect(firstText(result)).toMatch(/untrusted-data-/);
  });

  it('invalid input and unknown tools are isError results', async () => {
    const { client } = await startStdio();
    const invalid = await client.callTool({ name: 'query_list_datasets', arguments: { max_depth: -1 } });
    expect(invalid.isError).toBe(true);
    expect(firstText(invalid)).toContain('[invalid_input]');
    const unknown = await client.callTool({ name: 'nessie_drop_everything', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(firstText(unknown)).toContain('Unknown tool');
  });

  it('--read-only lists only read-only tools and refuses the others', async () => {
    const saved = ws.write('.datastack/results/query-1.parquet', 'PAR1');
    const { client } = await startStdio(['--read-only']);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names.sort()).toEqual([...readOnlyNames].sort());
    expect(changingTools.map((t) => t.name)).toContain('query_clear_results');
    expect(client.getInstructions()).toContain('Read-only mode is on');
    for (const tool of changingTools) {
      const result = await client.callTool({ name: tool.name, arguments: {} });
      expect(result.isError).toBe(true);
    }
    const refused = await client.callTool({ name: 'query_clear_results', arguments: {} });
    expect(firstText(refused)).toContain('[read_only] query_clear_results changes data');
    expect(existsSync(saved)).toBe(true);
  });

  it('runs a destructive tool the client called: it carries destructiveHint and the client asked', async () => {
    const saved = ws.write('.datastack/results/query-1.parquet', 'PAR1');
    const { client } = await startStdio();
    const tool = (await client.listTools()).tools.find((t) => t.name === 'query_clear_results');
    expect(tool?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    const dry = await client.callTool({ name: 'query_clear_results', arguments: { dry_run: true } });
    expect(dry.structuredContent).toMatchObject({ count: 1, dry_run: true });
    expect(existsSync(saved)).toBe(true);
    const done = await client.callTool({ name: 'query_clear_results', arguments: {} });
    expect(done.structuredContent).toMatchObject({ count: 1, bytes: 4, dry_run: false });
    expect(existsSync(saved)).toBe(false);
  });

  it('--toolsets filters; an unknown toolset or profile stops the server with a clear message', async () => {
    const { client } = await startStdio(['--toolsets', 'query']);
    expect((await client.listTools()).tools.length).toBe(
      ALL_TOOLS.filter((t) => t.toolset === 'query').length,
    );

    const bad = await runRaw(['--toolsets', 'query,nope'], '');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown toolset: nope');
    expect(bad.stderr).toContain('Known toolsets: query');
    expect(bad.stdout).toBe('');

    const noProfile = await runRaw(['--profile', 'staging'], '');
    expect(noProfile.code).toBe(1);
    expect(noProfile.stderr).toContain('Unknown profile "staging"');
    expect(noProfile.stdout).toBe('');
  });

  it('writes nothing but JSON-RPC on stdout, even with debug logs on, and exits when stdin closes', async () => {
    const messages = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '0' },
        },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'query_list_datasets', arguments: {} } },
      {
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/call',
        params: { name: 'query_list_datasets', arguments: { folder: '../..' } },
      },
      { jsonrpc: '2.0', id: 5, method: 'prompts/get', params: { name: 'query-data' } },
    ];
    const run = await runRaw(
      [],
      messages.map((m) => JSON.stringify(m)).join('\n') + '\n',
      { DATASTACK_DEBUG: '1' },
      5,
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    const parsed = lines.map(
      (line) => JSON.parse(line) as { jsonrpc: string; id?: number; result?: unknown },
    );
    expect(parsed.every((m) => m.jsonrpc === '2.0')).toBe(true);
    expect(parsed.map((m) => m.id).sort()).toEqual([1, 2, 3, 4, 5]);
    // The debug log really was written, to stderr.
    expect(run.stderr).toContain('debug mcp tools/call query_list_datasets');
  });
});

interface RawRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the server as a plain child. With `waitForIds`, stdin stays open until that many responses
 * have arrived, then closes: the server must exit on its own.
 */
function runRaw(
  args: string[],
  input: string,
  env: Record<string, string> = {},
  waitForIds?: number,
): Promise<RawRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, mcpCommand(args), { cwd: ws.root, env: childEnv(ws.root, env) });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (waitForIds && stdout.split('\n').filter(Boolean).length >= waitForIds) child.stdin.end();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.write(input);
    if (!waitForIds) child.stdin.end();
  });
}
