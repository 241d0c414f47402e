/**
 * Slash commands of the chat REPL. They act on the chat's state through a small interface, so
 * they can be tested without a terminal.
 */
import type { AnyTool } from '../../tools/core/types.js';
import type { CostedUsage } from '../events.js';
import { formatCost } from '../pricing.js';

export interface ChatCommandState {
  tools: readonly AnyTool[];
  model: string;
  sessionId(): string;
  usage(): CostedUsage;
  /** Forgets the conversation and starts a new session; returns its id. */
  clear(): string;
  print(text: string): void;
}

export type CommandOutcome = 'continue' | 'exit';

export const COMMANDS: ReadonlyArray<{ name: string; help: string }> = [
  { name: '/help', help: 'this list' },
  { name: '/tools', help: 'the tools the agent can use (ro = read-only, ! = asks before it acts)' },
  { name: '/cost', help: 'tokens and cost of this session' },
  { name: '/clear', help: 'forget the conversation and start a new session' },
  { name: '/exit', help: 'leave (also Ctrl-D, or Ctrl-C twice at the prompt)' },
];

export function isSlashCommand(line: string): boolean {
  return /^\/[a-z]/i.test(line.trim());
}

export function runSlashCommand(line: string, state: ChatCommandState): CommandOutcome {
  const name = line.trim().split(/\s+/)[0]!.toLowerCase();
  switch (name) {
    case '/help':
    case '/?':
      state.print(
        [
          ...COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.help}`),
          '  Ctrl-C cancels the running turn. Anything else is sent to the agent.',
        ].join('\n'),
      );
      return 'continue';
    case '/tools':
      state.print(formatTools(state.tools));
      return 'continue';
    case '/cost':
      state.print(formatUsage(state.usage(), state.model));
      return 'continue';
    case '/clear': {
      const id = state.clear();
      state.print(`Conversation cleared. New session ${id}.`);
      return 'continue';
    }
    case '/exit':
    case '/quit':
      return 'exit';
    default:
      state.print(`Unknown command ${name}. Try /help.`);
      return 'continue';
  }
}

export function formatTools(tools: readonly AnyTool[]): string {
  if (tools.length === 0) return 'No tools are offered in this session.';
  const width = Math.max(...tools.map((t) => t.name.length));
  return tools
    .map((tool) => {
      const flags = tool.annotations.readOnly ? 'ro' : tool.annotations.destructive ? ' !' : '  ';
      return `  ${flags} ${tool.name.padEnd(width)}  ${tool.title}`;
    })
    .join('\n');
}

export function formatUsage(usage: CostedUsage, model: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  return [
    `  model        ${model}`,
    `  input        ${n(usage.input_tokens)} tokens`,
    `  output       ${n(usage.output_tokens)} tokens`,
    `  cache write  ${n(usage.cache_creation_input_tokens)} tokens`,
    `  cache read   ${n(usage.cache_read_input_tokens)} tokens`,
    `  cost         ${formatCost(usage.cost_usd)}${usage.cost_usd === null ? ' (no price known for this model)' : ''}`,
  ].join('\n');
}
