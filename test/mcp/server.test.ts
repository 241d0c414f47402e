/** The MCP face in-process: a real MCP Client over InMemoryTransport's linked pair. */
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ElicitRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { toolsFor } from '../../mcp-server/cli.js';
import { ALL_TOOLS, toolsetNames } from '../../tools/index.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { connectInMemory, firstText, validateOutput, type Connected } from './harness.js';
import {
  crashTool,
  echoSecretTool,
  progressTool,
  resetSeen,
  seen,
  TEST_TOOLS,
  waitTool,
  wipeTool,
} from './fixtures.js';

const SALES = 'region,revenue\nnorth,10\nsouth,20\n';
let ws: TempWorkspace;
let conn: Connected | undefined;

beforeEach(() => {
  resetSeen();
  ws = makeWorkspace({ 'data/sales.csv': SALES, 'notes.txt': 'not data\n' });
});
afterEach(async () => {
  await conn?.close();
  conn = undefined;
  ws.cleanup();
});

async function connect(options: Parameters<typeof connectInMemory>[0]) {
  conn = await connectInMemory(options);
  return conn.client;
}

describe('tools/list', () => {
  it('lists every registry tool with title, schemas and all five annotations', async () => {
    const client = await connect({ root: ws.root, tools: ALL_TOOLS });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    for (const registered of ALL_TOOLS) {
      const listed = tools.find((t) => t.name === registered.name) as Tool;
      expect(listed.title).toBe(registered.title);
      expect(listed.description).toBe(registered.description);
      expect(listed.inputSchema.type).toBe('object');
      expect(listed.outputSchema?.type).toBe('object');
      expect(Object.keys(listed.outputSchema?.properties ?? {})).toEqual(
        Object.keys(registered.output.shape),
      );
      expect(listed.annotations).toEqual({
        title: registered.title,
        readOnlyHint: registered.annotations.readOnly,
        destructiveHint: registered.annotations.destructive,
        idempotentHint: registered.annotations.idempotent,
        openWorldHint: registered.annotations.openWorld,
      });
    }
  });

  it('--read-only hides tools that change things; destructive ones carry destructiveHint otherwise', async () => {
    const client = await connect({ root: ws.root, tools: [...ALL_TOOLS, ...TEST_TOOLS] });
    const all = (await client.listTools()).tools;
    expect(all.find((t) => t.name === 'test_wipe')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    await conn?.close();

    const readOnly = await connect({ root: ws.root, tools: [...ALL_TOOLS, ...TEST_TOOLS], readOnly: true });
    const names = (await readOnly.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain('test_wipe');
    expect(names).toContain('test_count');
    const hidden = [...ALL_TOOLS, ...TEST_TOOLS].filter((t) => !t.annotations.readOnly).map((t) => t.name);
    for (const name of hidden) expect(names).not.toContain(name);
  });

  it('--toolsets narrows the list; unknown toolset names are an error', async () => {
    const chosen = toolsFor(['test'], [...ALL_TOOLS, ...TEST_TOOLS]);
    if (!('selected' in chosen)) throw chosen.error;
    const client = await connect({ root: ws.root, tools: chosen.selected });
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names.sort()).toEqual(TEST_TOOLS.map((t) => t.name).sort());

    expect(toolsFor(['query,test'], [...ALL_TOOLS, ...TEST_TOOLS])).toHaveProperty(
      'selected.length',
      ALL_TOOLS.filter((tool) => tool.toolset === 'query').length + 5,
    );
    const bad = toolsFor(['query', 'nope'], ALL_TOOLS);
    expect('error' in bad && bad.error.message).toBe('Unknown toolset: nope');
    expect('error' in bad && bad.error.hint).toContain('query');
  });
});

describe('tools/call', () => {
  it('returns structuredContent that validates and reflects the workspace, plus compact text', async () => {
    const client = await connect({ root: ws.root, tools: ALL_TOOLS });
    const { tools } = await client.listTools(); // also arms the client's own output validation
    const result = await client.callTool({ name: 'query_list_datasets', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      datasets: [{ path: 'data/sales.csv', format: 'csv', bytes: Buffer.byteLength(SALES) }],
      total: 1,
    });
    expect(
      validateOutput(
        tools.find((t) => t.name === 'query_list_datasets'),
        result.structuredContent,
      ),
    ).toEqual({
      valid: true,
    });
    expect(firstText(result)).toContain('data/sales.csv');
  });

  it('invalid input, an unknown tool and a crash are isError results, not protocol errors', async () => {
    const client = await connect({ root: ws.root, tools: [...ALL_TOOLS, crashTool] });
    const invalid = await client.callTool({ name: 'query_list_datasets', arguments: { max_depth: 'deep' } });
    expect(invalid.isError).toBe(true);
    expect(firstText(invalid)).toMatch(/^\[invalid_input\] .*max_depth/);

    const unknown = await client.callTool({ name: 'query_nope', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(firstText(unknown)).toContain('Unknown tool "query_nope"');

    const crash = await client.callTool({ name: 'test_crash', arguments: {} });
    expect(crash.isError).toBe(true);
    expect(firstText(crash)).toContain('[internal] cannot read properties of undefined');
  });

  it('refuses a hidden tool in read-only mode without running it', async () => {
    const client = await connect({ root: ws.root, tools: [wipeTool], readOnly: true });
    const result = await client.callTool({ name: 'test_wipe', arguments: { what: 'all' } });
    expect(result.isError).toBe(true);
    expect(firstText(result)).toContain('[read_only]');
    expect(seen.wiped).toBe(0);
  });

  it('runs a destructive tool when the client cannot elicit: the client approved the call', async () => {
    const client = await connect({ root: ws.root, tools: [wipeTool] });
    const result = await client.callTool({ name: 'test_wipe', arguments: { what: 'cache' } });
    expect(result.structuredContent).toEqual({ wiped: 'cache' });
    expect(seen.wiped).toBe(1);
  });

  it.each([
    ['accepts', { action: 'accept', content: { confirm: true } }, 1],
    ['declines', { action: 'decline' }, 0],
    ['accepts the form but unticks it', { action: 'accept', content: { confirm: false } }, 0],
  ] as const)('asks through elicitation when the client can: the user %s', async (_label, answer, runs) => {
    const questions: string[] = [];
    conn = await connectInMemory(
      { root: ws.root, tools: [wipeTool] },
      { capabilities: { elicitation: { form: {} } } },
    );
    conn.client.setRequestHandler(ElicitRequestSchema, (request) => {
      questions.push(request.params.message);
      return answer;
    });
    const result = await conn.client.callTool({ name: 'test_wipe', arguments: { what: 'tables' } });
    expect(questions).toEqual(['Wipe tables for good. Run it?']);
    expect(seen.wiped).toBe(runs);
    expect(result.isError ?? false).toBe(runs === 0);
    if (runs === 0) expect(firstText(result)).toContain('[refused]');
  });

  it('query_clear_results keeps the saved results when the user declines the elicitation', async () => {
    const saved = ws.write('.datastack/results/query-1.csv', 'a\n1\n');
    conn = await connectInMemory({ root: ws.root, tools: ALL_TOOLS }, { capabilities: { elicitation: {} } });
    let asked = '';
    conn.client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked = request.params.message;
      return { action: 'decline' };
    });
    const result = await conn.client.callTool({ name: 'query_clear_results', arguments: {} });
    expect(asked).toMatch(/^Delete .*results.*\. Run it\?$/);
    expect(firstText(result)).toContain('[refused]');
    expect(existsSync(saved)).toBe(true);
  });

  it('sends notifications/progress when the request carries a progress token', async () => {
    const client = await connect({ root: ws.root, tools: [progressTool] });
    const updates: Array<{ progress: number; total?: number | undefined; message?: string | undefined }> = [];
    const result = await client.callTool({ name: 'test_count', arguments: { n: 3 } }, undefined, {
      onprogress: (p) => updates.push(p),
    });
    expect(result.structuredContent).toEqual({ counted: 3 });
    expect(updates).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ]);
  });

  it('a cancelled request aborts the tool through ctx.signal', async () => {
    const client = await connect({ root: ws.root, tools: [waitTool] });
    const controller = new AbortController();
    const call = client.callTool({ name: 'test_wait', arguments: {} }, undefined, {
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(seen.steps).toBe(1));
    controller.abort('user pressed Esc');
    await expect(call).rejects.toThrow();
    await vi.waitFor(() => expect(seen.aborted).toBe(true));
  });

  it('scrubs configured secrets from structuredContent and text', async () => {
    const secret = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCY';
    const client = await connect({
      root: ws.root,
      tools: [echoSecretTool],
      env: { AWS_SECRET_ACCESS_KEY: secret },
    });
    const result = await client.callTool({ name: 'test_echo_secret', arguments: {} });
    expect(result.structuredContent).toEqual({ value: 'key=***', nested: ['***'] });
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});

describe('instructions and prompts', () => {
  it('sends instructions naming the product, the toolsets on offer and read-only mode', async () => {
    const client = await connect({ root: ws.root, tools: ALL_TOOLS, readOnly: true });
    const instructions = client.getInstructions() ?? '';
    expect(instructions).toContain('DataStack');
    expect(instructions).toContain(`Toolsets offered here: ${toolsetNames(ALL_TOOLS).join(', ')}.`);
    expect(instructions).toContain('Read-only mode is on');
    expect(client.getServerVersion()?.name).toBe('datastack');
  });

  it('offers the guides as prompts, gettable by name', async () => {
    const client = await connect({ root: ws.root, tools: ALL_TOOLS });
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(['query-data', 'safe-changes']));
    expect(prompts.find((p) => p.name === 'query-data')?.title).toBe('Query local data');
    const got = await client.getPrompt({ name: 'safe-changes' });
    expect(got.messages[0]?.role).toBe('user');
    const content = got.messages[0]?.content;
    expect(content?.type).toBe('text');
    expect(content?.type === 'text' && content.text).toMatch(/^# Make changes safely\n/);
    await expect(client.getPrompt({ name: 'nope' })).rejects.toThrow(/Unknown prompt "nope"/);
  });
});
