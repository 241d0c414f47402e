/**
 * `chat`, `ask` and `mcp`: the command tree only parses their flags; each face lives in its own
 * module, imported when the command runs, so the Anthropic and MCP SDKs never load for `tools list`.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AskOptions, ChatOptions, GlobalOptions, McpOptions } from './options.js';
import type { CliGlobals } from './io.js';

export interface FaceWiring {
  globals: (command: Command) => CliGlobals;
  onExit: (code: number) => void;
}

export function addFaceCommands(program: Command, wiring: FaceWiring): void {
  program
    .command('chat')
    .helpGroup('Agent and MCP:')
    .description(
      'Talk to the DataStack agent in the terminal; it plans and runs tools (needs ANTHROPIC_API_KEY)',
    )
    .addOption(new Option('--resume [id]', 'Resume a saved session (the latest without an id)'))
    .addOption(modelOption())
    .addOption(maxTurnsOption())
    .addOption(toolsetsOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ datastack chat\n  $ datastack chat --resume\n  $ datastack chat --read-only --toolsets query',
    )
    .action(
      async (
        opts: { resume?: string | true; model?: string; maxTurns?: number; toolsets?: string[] },
        command: Command,
      ) => {
        const { runChat } = await import('../chat/repl.js');
        const options: ChatOptions = { ...globalOptions(wiring.globals(command)), ...defined(opts) };
        wiring.onExit(await runChat(options));
      },
    );

  program
    .command('ask')
    .helpGroup('Agent and MCP:')
    .description(
      'One-shot prompt for scripts and CI; reads the prompt from piped stdin (needs ANTHROPIC_API_KEY)',
    )
    .argument('[prompt...]', 'What to do, in plain words')
    .option('--stream-json', 'Print one JSON event per line as they happen')
    .addOption(modelOption())
    .addOption(maxTurnsOption())
    .addOption(toolsetsOption())
    .addHelpText(
      'after',
      '\nGlobal --json prints one final JSON object (answer, tool calls, usage, cost, session id).\n\nExamples:\n' +
        '  $ datastack ask "which datasets are in this folder?"\n' +
        '  $ echo "profile sales.csv" | datastack ask --json --read-only',
    )
    .action(
      async (
        words: string[],
        opts: { streamJson?: boolean; model?: string; maxTurns?: number; toolsets?: string[] },
        command: Command,
      ) => {
        const globals = wiring.globals(command);
        const { runAsk } = await import('../ask.js');
        const options: AskOptions = {
          ...globalOptions(globals),
          ...defined(opts),
          ...(words.length ? { prompt: words.join(' ') } : {}),
          ...(globals.json ? { json: true } : {}),
        };
        wiring.onExit(await runAsk(options));
      },
    );

  program
    .command('mcp')
    .helpGroup('Agent and MCP:')
    .description('Serve every tool over MCP (stdio, or Streamable HTTP with --http): no API key needed')
    .option('--http', 'Serve Streamable HTTP instead of stdio')
    .addOption(new Option('--port <n>', 'HTTP port').default(3333).argParser(positiveInt))
    .option('--host <host>', 'HTTP address to bind', '127.0.0.1')
    .addOption(toolsetsOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ claude mcp add datastack -- datastack mcp\n  $ datastack mcp --http --port 3333 --read-only',
    )
    .action(
      async (opts: { http?: boolean; port: number; host: string; toolsets?: string[] }, command: Command) => {
        const { runMcp } = await import('../../mcp-server/cli.js');
        const options: McpOptions = { ...globalOptions(wiring.globals(command)), ...defined(opts) };
        wiring.onExit(await runMcp(options));
      },
    );
}

function modelOption(): Option {
  return new Option('--model <id>', 'Claude model id (default: anthropic.model in the config)');
}

function maxTurnsOption(): Option {
  return new Option('--max-turns <n>', 'Stop after this many model turns').argParser(positiveInt);
}

function toolsetsOption(): Option {
  return new Option('--toolsets <a,b>', 'Only offer these toolsets (comma-separated)').argParser(
    (value: string, previous?: string[]) => [
      ...(previous ?? []),
      ...value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ],
  );
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`'${value}' is not a positive integer`);
  return n;
}

function globalOptions(globals: CliGlobals): GlobalOptions {
  const { json: _json, ...rest } = globals;
  return defined(rest);
}

/** exactOptionalPropertyTypes: an absent flag must be an absent key, not `undefined`. */
function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
