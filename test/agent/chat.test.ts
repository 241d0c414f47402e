/**
 * The chat REPL: y/N before destructive calls (in process, with a fixture tool) and Ctrl-C
 * cancelling a streaming turn (the built bin, a real SIGINT). The model is the fake Messages
 * server, which follows Anthropic's documented API because no real one can run here.
 */
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runChat } from '../../agent/chat/repl.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-server.js';
import { BIN } from '../helpers/run-cli.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { destructiveTool, toolResultsSent } from './harness.js';

let fake: FakeAnthropic | undefined;
let ws: TempWorkspace | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  ws?.cleanup();
  ws = undefined;
});

function workspaceFor(url: string): TempWorkspace {
  return makeWorkspace({
    'datastack.yaml': `profile: local\nprofiles:\n  local:\n    anthropic:\n      api_key: sk-ant-chat-test\n      base_url: ${url}\n`,
  });
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('chat confirmation', () => {
  it('asks y/N before a destructive call: "n" refuses (reported to the model), "y" runs it', async () => {
    const drop = (table: string) => ({
      content: [{ type: 'tool_use' as const, name: 'fixture_drop_table', input: { table } }],
    });
    fake = await startFakeAnthropic([
      drop('sales'),
      { content: [{ type: 'text', text: 'ok' }] },
      drop('old'),
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    ws = workspaceFor(fake.url);
    const effects: string[] = [];
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const exit = runChat(
      { cwd: ws.root },
      { stdin, stdout, stderr: new PassThrough() },
      { tools: [destructiveTool(effects)] },
    );

    stdin.write('drop the sales table\n');
    // Answered after the question appears.
    await until(() => printed.includes('[y/N]'));
    expect(printed).toContain('Drop table sales. Run fixture_drop_table? [y/N]');
    stdin.write('n\n');
    await until(() => fake!.requests.length === 2);
    // Typed ahead: the queued line answers the next question.
    stdin.end('drop old\ny\n');
    expect(await exit).toBe(0);

    expect(effects).toEqual(['old']);
    const refused = toolResultsSent(fake.requests[1]!.body)[0];
    expect(refused).toMatchObject({ is_error: true });
    expect(refused?.content).toContain('refused');
    const approved = toolResultsSent(fake.requests[3]!.body)[0];
    expect(approved?.is_error).toBeUndefined();
    expect(approved?.content).toContain('old');
  });

  it('--yes runs destructive calls without asking; --read-only does not offer them', async () => {
    fake = await startFakeAnthropic([
      { content: [{ type: 'tool_use', name: 'fixture_drop_table', input: { table: 't' } }] },
      { content: [{ type: 'text', text: 'ok' }] },
      { content: [{ type: 'text', text: 'ok' }] },
    ]);
    ws = workspaceFor(fake.url);
    const effects: string[] = [];
    const io = () => ({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() });
    const yes = io();
    const approved = runChat({ cwd: ws.root, yes: true }, yes, { tools: [destructiveTool(effects)] });
    yes.stdin.end('drop t\n');
    expect(await approved).toBe(0);
    expect(effects).toEqual(['t']);

    const ro = io();
    const readOnly = runChat({ cwd: ws.root, readOnly: true }, ro, { tools: [destructiveTool(effects)] });
    ro.stdin.end('hello\n');
    expect(await readOnly).toBe(0);
    expect(fake.requests[2]!.body.tools).toBeUndefined();
  });
});

describe('chat Ctrl-C', () => {
  it('cancels the streaming turn and keeps the REPL going', async () => {
    fake = await startFakeAnthropic([
      { content: [{ type: 'text', text: 'word '.repeat(100) }], pieces: 100, delayMs: 30 },
      { content: [{ type: 'text', text: 'second answer' }] },
    ]);
    ws = makeWorkspace();
    const child = spawn(process.execPath, [BIN, 'chat'], {
      cwd: ws.root,
      env: {
        PATH: process.env.PATH,
        HOME: ws.root,
        XDG_CONFIG_HOME: '/nonexistent',
        ANTHROPIC_API_KEY: 'sk-ant-fake',
        ANTHROPIC_BASE_URL: fake.url,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const closed = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    try {
      child.stdin.write('long answer please\n');
      await until(() => out.includes('word word'));
      child.kill('SIGINT');
      await until(() => out.includes('cancelled'));
      child.stdin.end('next question\n');
      expect(await closed).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    // The first stream was cut short, and the next prompt still reached the model.
    expect(out.split('word').length - 1).toBeLessThan(100);
    expect(out).toContain('second answer');
    expect(fake.requests).toHaveLength(2);
    expect(JSON.stringify(fake.requests[1]!.body.messages.at(-1))).toContain('next question');
  });
});
