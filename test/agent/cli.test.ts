/**
 * `datastack ask` and `datastack chat` end to end: the built bin as a child process, its real SDK
 * pointed at the fake Messages server (Anthropic's documented API; no real one can run here)
 * through ANTHROPIC_BASE_URL. Needs `npm run build` first.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AskJsonResult } from '../../agent/ask.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-server.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let fake: FakeAnthropic | undefined;
let ws: TempWorkspace | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  ws?.cleanup();
  ws = undefined;
});

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
});

const env = (url: string) => ({ ANTHROPIC_API_KEY: 'sk-ant-fake-key', ANTHROPIC_BASE_URL: url });
const listCall = {
  type: 'tool_use' as const,
  id: 'toolu_ls',
  name: 'query_list_datasets',
  input: { folder: '.' },
};

describe('datastack ask', () => {
  it('--json prints one object with the answer, tool calls, usage, cost and session id', async () => {
    fake = await startFakeAnthropic([
      { content: [listCall], usage: { input_tokens: 1000, output_tokens: 50 } },
      {
        content: [{ type: 'text', text: 'One file: sales.csv' }],
        usage: { input_tokens: 1100, output_tokens: 10, cache_read_input_tokens: 900 },
      },
    ]);
    ws = makeWorkspace({ 'sales.csv': 'region,revenue\nnorth,1\n' });
    const result = await runCli(['ask', '--json', 'which', 'datasets?'], {
      cwd: ws.root,
      env: env(fake.url),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!) as AskJsonResult;
    expect(out).toMatchObject({
      answer: 'One file: sales.csv',
      turns: 2,
      stop_reason: 'end_turn',
      model: 'claude-sonnet-4-5',
      usage: {
        input_tokens: 2100,
        output_tokens: 60,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 900,
      },
    });
    expect(out.tool_calls).toEqual([
      {
        name: 'query_list_datasets',
        input: { folder: '.' },
        ok: true,
        output: { datasets: [{ path: 'sales.csv', format: 'csv', bytes: 23 }], total: 1 },
        duration_ms: expect.any(Number) as number,
      },
    ]);
    expect(out.cost_usd).toBeCloseTo((2100 * 3 + 60 * 15 + 900 * 0.3) / 1e6, 12);
    expect(fake.requests[0]!.body.messages[0]!.content).toEqual([
      { type: 'text', text: 'which datasets?', cache_control: { type: 'ephemeral' } },
    ]);
    // The session was saved and holds the whole conversation.
    const file = join(ws.root, '.datastack', 'sessions', `${out.session_id}.jsonl`);
    const types = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toEqual(['meta', 'message', 'usage', 'message', 'message', 'usage', 'message', 'done']);
    expect(readFileSync(file, 'utf8')).not.toContain('sk-ant-fake-key');
  });

  it('reads the prompt from piped stdin and streams the answer text to stdout', async () => {
    fake = await startFakeAnthropic([
      { content: [{ type: 'text', text: 'Let me look.' }, listCall] },
      { content: [{ type: 'text', text: 'Streamed answer.' }] },
    ]);
    ws = makeWorkspace();
    const result = await runCli(['ask'], { cwd: ws.root, env: env(fake.url), input: 'from stdin\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Let me look.\nStreamed answer.\n');
    expect(result.stderr).toContain('→ query_list_datasets {"folder":"."}');
    expect(result.stderr).toContain('✓ query_list_datasets');
    expect(fake.requests[0]!.body.messages[0]!.content).toEqual([
      { type: 'text', text: 'from stdin', cache_control: { type: 'ephemeral' } },
    ]);
  });

  it('--stream-json prints one event per line, ending with done and the session id', async () => {
    fake = await startFakeAnthropic([{ content: [listCall] }, { content: [{ type: 'text', text: 'ok' }] }]);
    ws = makeWorkspace();
    const result = await runCli(['ask', '--stream-json', 'go'], { cwd: ws.root, env: env(fake.url) });
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; name?: string; session_id?: string });
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'turn')).toHaveLength(2);
    expect(types.indexOf('tool_call')).toBeLessThan(types.indexOf('tool_result'));
    expect(events.find((e) => e.type === 'tool_call')?.name).toBe('query_list_datasets');
    expect(types.at(-1)).toBe('done');
    expect(events.at(-1)?.session_id).toMatch(/^\d{8}-\d{6}-\d{3}-[0-9a-f]{6}$/);
  });

  it('exits non-zero at the turn limit and on an API error', async () => {
    fake = await startFakeAnthropic([{ content: [listCall] }]);
    ws = makeWorkspace();
    const limited = await runCli(['ask', '--json', '--max-turns', '1', 'go'], {
      cwd: ws.root,
      env: env(fake.url),
    });
    expect(limited.code).toBe(1);
    expect(JSON.parse(limited.stdout)).toMatchObject({ stop_reason: 'max_turns', turns: 1, tool_calls: [] });

    fake.push({
      httpError: { status: 400, type: 'invalid_request_error', message: 'max_tokens: too large' },
    });
    const failed = await runCli(['ask', 'go'], { cwd: ws.root, env: env(fake.url) });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('max_tokens: too large');
  });

  it('offers only read-only tools with --read-only, and the model named by --model', async () => {
    fake = await startFakeAnthropic([{ content: [{ type: 'text', text: 'ok' }] }]);
    ws = makeWorkspace();
    const result = await runCli(['ask', '--read-only', '--model', 'claude-haiku-4-5', 'go'], {
      cwd: ws.root,
      env: env(fake.url),
    });
    expect(result.code).toBe(0);
    const body = fake.requests[0]!.body;
    expect(body.model).toBe('claude-haiku-4-5');
    expect(body.tools?.length).toBeGreaterThan(0);
    // Every offered tool is read-only in the registry's manifest.
    const manifest = JSON.parse(
      readFileSync(new URL('../../dist/tools/manifest.json', import.meta.url), 'utf8'),
    ) as Array<{
      name: string;
      annotations: { readOnly: boolean };
    }>;
    const readOnly = new Set(manifest.filter((t) => t.annotations.readOnly).map((t) => t.name));
    for (const tool of body.tools ?? []) expect(readOnly.has(tool.name)).toBe(true);
  });

  it('without an API key exits 3 and names the ways to work without one', async () => {
    ws = makeWorkspace();
    for (const command of ['ask', 'chat']) {
      const result = await runCli(command === 'ask' ? ['ask', 'hello'] : ['chat'], { cwd: ws.root });
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('ANTHROPIC_API_KEY');
      expect(result.stderr).toContain('claude mcp add datastack -- datastack mcp');
      expect(result.stderr).toContain('datastack tools list');
    }
    // A script asking for JSON still gets JSON on stdout.
    const json = await runCli(['ask', '--json', 'hello'], { cwd: ws.root });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'config' } });
  });

  it('with no prompt at all exits 2', async () => {
    fake = await startFakeAnthropic([]);
    ws = makeWorkspace();
    const result = await runCli(['ask'], { cwd: ws.root, env: env(fake.url), input: '  \n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no prompt');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('datastack chat', () => {
  it('answers piped lines, handles slash commands, saves the session, and --resume continues it', async () => {
    fake = await startFakeAnthropic([
      { content: [listCall] },
      {
        content: [{ type: 'text', text: 'You have **one** file.' }],
        usage: { input_tokens: 10, output_tokens: 2 },
      },
      { content: [{ type: 'text', text: 'Still one.' }] },
    ]);
    ws = makeWorkspace({ 'sales.csv': 'a\n1\n' });
    const first = await runCli(['chat'], {
      cwd: ws.root,
      env: env(fake.url),
      input: 'what files?\n/cost\n/exit\nnot sent\n',
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('query_list_datasets(folder=".")');
    expect(first.stdout).toContain('✓ query_list_datasets');
    expect(first.stdout).toContain('You have **one** file.');
    expect(first.stdout).toMatch(/input\s+110 tokens/);
    expect(fake.requests).toHaveLength(2);

    const sessions = readdirSync(join(ws.root, '.datastack', 'sessions'));
    expect(sessions).toHaveLength(1);

    const second = await runCli(['chat', '--resume'], {
      cwd: ws.root,
      env: env(fake.url),
      input: 'and now?\n',
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('resumed (4 messages');
    const resumed = fake.requests[2]!.body.messages;
    expect(resumed.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(JSON.stringify(resumed[4]!.content)).toContain('and now?');
    // Same session file, appended to.
    expect(readdirSync(join(ws.root, '.datastack', 'sessions'))).toEqual(sessions);
    const id = sessions[0]!.replace(/\.jsonl$/, '');
    const byId = await runCli(['chat', '--resume', id], {
      cwd: ws.root,
      env: env(fake.url),
      input: '/exit\n',
    });
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain('resumed (6 messages');
  });

  it('--resume of an unknown id fails clearly', async () => {
    ws = makeWorkspace();
    fake = await startFakeAnthropic([]);
    const result = await runCli(['chat', '--resume', '20990101-000000-000-abcdef'], {
      cwd: ws.root,
      env: env(fake.url),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No session "20990101-000000-000-abcdef"');
  });
});
