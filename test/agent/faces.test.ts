/** Pricing, the chat's Markdown block splitter, tool display and slash commands: no terminal needed. */
import { describe, expect, it } from 'vitest';
import { blockWriter, completeBlocksEnd } from '../../agent/chat/markdown.js';
import { runSlashCommand, type ChatCommandState } from '../../agent/chat/commands.js';
import { formatArgs, ToolDisplay } from '../../agent/chat/tool-display.js';
import { costOf, formatCost, priceFor } from '../../agent/pricing.js';
import { destructiveTool, failingTool } from './harness.js';

describe('pricing', () => {
  it('matches model ids exactly or by family prefix, never by a bare substring', () => {
    expect(priceFor('claude-opus-4-5')).toEqual({ input: 5, output: 25 });
    expect(priceFor('claude-sonnet-4-5-20250929')).toEqual({ input: 3, output: 15 });
    expect(priceFor('claude-haiku-4-5-20251001')).toEqual({ input: 1, output: 5 });
    expect(priceFor('claude-sonnet-4-50')).toBeUndefined();
    expect(priceFor('my-claude-opus-4-5')).toBeUndefined();
  });

  it('prices cache writes at 1.25× and cache reads at 0.1× the input price', () => {
    const usage = {
      input_tokens: 1_000_000,
      output_tokens: 1_000_000,
      cache_creation_input_tokens: 1_000_000,
      cache_read_input_tokens: 1_000_000,
    };
    expect(costOf('claude-haiku-4-5', usage).cost_usd).toBeCloseTo(1 + 5 + 1.25 + 0.1, 10);
    expect(costOf('claude-opus-4-5', usage).cost_usd).toBeCloseTo(5 + 25 + 6.25 + 0.5, 10);
    expect(costOf('gpt-4', usage)).toMatchObject({
      cost_usd: null,
      note: expect.stringContaining('gpt-4') as string,
    });
    expect(formatCost(null)).toBe('n/a');
    expect(formatCost(0.01234)).toBe('$0.0123');
  });
});

describe('markdown block splitting', () => {
  it('cuts after blank lines, but never inside a code fence', () => {
    expect(completeBlocksEnd('para one\n\npara two')).toBe('para one\n\n'.length);
    expect(completeBlocksEnd('no blank line yet\n')).toBe(0);
    const fenced = '```sql\nselect 1\n\nfrom t\n';
    expect(completeBlocksEnd(fenced)).toBe(0);
    expect(completeBlocksEnd(`${fenced}\`\`\`\n`)).toBe(fenced.length + 4);
  });

  it('renders each completed block once and the rest on flush, whatever the delta boundaries', () => {
    const rendered: string[] = [];
    const out = { write: (text: string) => rendered.push(text) };
    const writer = blockWriter(out, (md) => `[${md.trim()}]`);
    const text = '# Title\n\nSome **bold** text.\n\n```\na\n\nb\n```\ntail';
    for (let i = 0; i < text.length; i += 3) writer.write(text.slice(i, i + 3));
    expect(rendered).toEqual(['[# Title]', '[Some **bold** text.]', '[```\na\n\nb\n```]']);
    writer.flush();
    expect(rendered.at(-1)).toBe('[tail]');
  });
});

describe('tool display', () => {
  it('prints each call with compact arguments, then ✓ or ✗ with the duration and error', () => {
    let printed = '';
    const display = new ToolDisplay({ write: (t: string) => (printed += t) }, false);
    display.handle({
      type: 'tool_call',
      id: 'a',
      name: 'query_sql',
      input: { sql: 'select\n  1', limit: 5 },
      readOnly: true,
      destructive: false,
    });
    display.handle({
      type: 'tool_result',
      id: 'a',
      name: 'query_sql',
      ok: true,
      text: '1 row',
      duration_ms: 12,
    });
    display.handle({
      type: 'tool_call',
      id: 'b',
      name: 'query_sql',
      input: { sql: 'oops' },
      readOnly: true,
      destructive: false,
    });
    display.handle({
      type: 'tool_result',
      id: 'b',
      name: 'query_sql',
      ok: false,
      error: { code: 'query_error', message: 'Parser error', hint: 'Check the SQL' },
      text: 'x',
      duration_ms: 1500,
    });
    expect(printed.split('\n')).toEqual([
      '⏺ query_sql(sql="select\\n 1", limit=5)',
      '  ✓ query_sql 12 ms',
      '⏺ query_sql(sql="oops")',
      '  ✗ query_sql 1.5 s: Parser error. Check the SQL',
      '',
    ]);
    expect(formatArgs({ text: 'x'.repeat(200) }, 20)).toHaveLength(20);
  });
});

describe('slash commands', () => {
  const make = () => {
    const printed: string[] = [];
    let cleared = 0;
    const state: ChatCommandState = {
      tools: [failingTool, destructiveTool([])],
      model: 'claude-sonnet-4-5',
      sessionId: () => 's1',
      usage: () => ({
        input_tokens: 1234,
        output_tokens: 56,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 7,
        cost_usd: 0.0042,
      }),
      clear: () => {
        cleared += 1;
        return 's2';
      },
      print: (text) => printed.push(text),
    };
    return { state, printed, cleared: () => cleared };
  };

  it('answers /help /tools /cost /clear and /exit', () => {
    const { state, printed, cleared } = make();
    expect(runSlashCommand('/help', state)).toBe('continue');
    expect(printed[0]).toContain('/cost');
    runSlashCommand('/tools', state);
    expect(printed[1]).toMatch(/ro fixture_fail/);
    expect(printed[1]).toMatch(/ ! fixture_drop_table/);
    runSlashCommand('/cost', state);
    expect(printed[2]).toContain('1,234 tokens');
    expect(printed[2]).toContain('$0.0042');
    runSlashCommand('/clear', state);
    expect(cleared()).toBe(1);
    expect(printed[3]).toContain('s2');
    expect(runSlashCommand('/exit', state)).toBe('exit');
    expect(runSlashCommand('/nope', state)).toBe('continue');
    expect(printed.at(-1)).toContain('Unknown command /nope');
  });
});
