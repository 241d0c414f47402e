/**
 * The `datastack` command tree. Built from the tool manifest (JSON) so that help and `tools list`
 * never load zod, a tool module or an SDK; every command imports what it needs when it runs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Help } from 'commander';
import type { AnyTool } from '../../tools/core/types.js';
import { loadManifest, type ToolManifestEntry } from '../../tools/manifest.js';
import { addFaceCommands } from './faces.js';
import { EXIT, EXIT_CODES_HELP, processIO, reportError, type CliGlobals, type CliIO } from './io.js';
import { addToolCommands, subcommandTerm } from './tool-commands.js';
import { listTools } from './tools-list.js';

/** What tests may swap: the streams, the environment, and the registry (fixture tools). */
export interface CliDeps extends Partial<CliIO> {
  tools?: readonly AnyTool[];
}

const BUILT_INS = ['tools', 'config', 'doctor', 'chat', 'ask', 'mcp', 'help'];

const HELP_AFTER = `
Examples:
  $ datastack tools list                       every tool, its command and annotations
  $ datastack sql "select * from 'sales.csv' limit 5"
  $ datastack query profile --dataset sales.csv --json
  $ datastack doctor                           what is configured and what is down
  $ datastack chat                             the agent (needs ANTHROPIC_API_KEY)
  $ claude mcp add datastack -- datastack mcp  the tools in Claude Code, no key needed

${EXIT_CODES_HELP}

Set DATASTACK_DEBUG=1 for stack traces.`;

export async function main(argv: string[], deps: CliDeps = {}): Promise<number> {
  const { tools, ...streams } = deps;
  const io: CliIO = isComplete(streams) ? streams : { ...processIO(), ...streams };
  const json = hasFlag(argv, '--json');
  let program: Command | undefined;
  try {
    const manifest = tools ? await manifestOf(tools) : await loadManifest();
    let exitCode: number = EXIT.ok;
    program = buildProgram(io, manifest, {
      readOnly: hasFlag(argv, '--read-only'),
      // `datastack mcp` lists tools from the manifest itself: building a command per tool (and
      // their flags) would only delay the server's first answer.
      toolCommands: firstWord(argv) !== 'mcp',
      onExit: (code) => (exitCode = code),
      ...(tools ? { tools } : {}),
    });
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error, io, json, program, argv);
    const stack = error instanceof Error ? error.stack : undefined;
    const message = error instanceof Error ? error.message : String(error);
    const hint = 'This looks like a bug in DataStack; rerun with DATASTACK_DEBUG=1 for the stack trace';
    return reportError(io, { code: 'internal', message, hint }, json, stack);
  }
}

interface ProgramOptions {
  readOnly: boolean;
  toolCommands: boolean;
  onExit: (code: number) => void;
  tools?: readonly AnyTool[];
}

function buildProgram(io: CliIO, manifest: readonly ToolManifestEntry[], options: ProgramOptions): Command {
  const program = new Command('datastack')
    .description(
      'One CLI, agent and MCP server over the open data stack (DuckDB, S3, Iceberg + Nessie, Spark, Dremio, Airflow, MLflow).',
    )
    .version(packageVersion(), '-V, --version')
    .option('--profile <name>', 'Config profile (default: local, or $DATASTACK_PROFILE)')
    .option('--cwd <dir>', 'Run as if started in <dir> (finds datastack.yaml from there)')
    .option('--json', 'Print results, and errors, as JSON on stdout')
    .option('-y, --yes', 'Approve destructive tools without asking')
    .option('--read-only', 'Hide and refuse every tool that changes something')
    .configureHelp({
      showGlobalOptions: true,
      subcommandTerm(this: Help, command: Command) {
        return subcommandTerm(command) ?? Help.prototype.subcommandTerm.call(this, command);
      },
    })
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      // Commander's own error line is replaced by reportError, which also speaks --json.
      outputError: () => {},
      getOutHelpWidth: () => io.stdout.columns || 100,
      getErrHelpWidth: () => io.stderr.columns || 100,
    })
    .addHelpText('after', HELP_AFTER);

  const globals = (command: Command): CliGlobals => {
    const all = command.optsWithGlobals<CliGlobals>();
    return { ...all, ...(all.cwd ? { cwd: resolve(all.cwd) } : {}) };
  };
  const run = (code: number | Promise<number>) => Promise.resolve(code).then(options.onExit);

  if (options.toolCommands)
    addToolCommands(program, manifest, {
      readOnly: options.readOnly,
      reserved: BUILT_INS,
      onExit: options.onExit,
      run: async (entry, input, command) => {
        const { runTool } = await import('./run-tool.js');
        return runTool(entry, input, {
          io,
          globals: globals(command),
          ...(options.tools ? { tools: options.tools } : {}),
        });
      },
    });
  addFaceCommands(program, { globals, onExit: options.onExit });

  const tools = program.command('tools').helpGroup('Setup:').description('The tool registry');
  tools
    .command('list')
    .description(
      'Every tool with its command and annotations (read-only, destructive, idempotent, open-world)',
    )
    .option('--toolset <name>', 'Only this toolset')
    .action((opts: { toolset?: string }, command: Command) =>
      run(listTools(io, manifest, globals(command), opts.toolset)),
    );

  const config = program.command('config').helpGroup('Setup:').description('The resolved configuration');
  config
    .command('show')
    .description('The resolved profile, the files it came from and every section, secrets redacted')
    .action(async (_opts: unknown, command: Command) =>
      run((await import('./config-command.js')).configShow(io, globals(command))),
    );
  config
    .command('path')
    .description('Where the project and user config files are (or would be)')
    .action(async (_opts: unknown, command: Command) =>
      run((await import('./config-command.js')).configPath(io, globals(command))),
    );

  program
    .command('doctor')
    .helpGroup('Setup:')
    .description(
      'Check Node, the workspace, DuckDB, the API key and every configured service; say what to do',
    )
    .action(async (_opts: unknown, command: Command) =>
      run((await import('./doctor.js')).runDoctor(io, globals(command))),
    );
  return program;
}

/** Commander already knows what went wrong; this turns it into our one-line error and exit code. */
function commanderExit(
  error: CommanderError,
  io: CliIO,
  json: boolean,
  program: Command | undefined,
  argv: string[],
): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
  // A group without an action (`datastack query`): commander printed its help to stderr.
  if (error.code === 'commander.help') return EXIT.usage;
  const [first = '', ...rest] = error.message.split('\n');
  const suggestion = rest.join(' ').match(/\(Did you mean (.+)\?\)/)?.[1];
  const path = program ? commandPath(program, argv) : [];
  const help = `\`${['datastack', ...path, '--help'].join(' ')}\``;
  const hint = suggestion ? `Did you mean ${suggestion}? See ${help}` : `See ${help}`;
  return reportError(io, { code: 'usage', message: first, hint }, json);
}

/** The commands named in argv (`query sql`), to point the user at the right --help. */
function commandPath(program: Command, argv: readonly string[]): string[] {
  const path: string[] = [];
  let current = program;
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i] ?? '';
    if (word.startsWith('-')) {
      // Skip the value of an option that takes one (`--cwd DIR`), or it reads as a command.
      const option = [...current.options, ...program.options].find(
        (o) => o.long === word || o.short === word,
      );
      if (option && (option.required || option.optional)) i += 1;
      continue;
    }
    const next = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) break;
    path.push(next.name());
    current = next;
  }
  return path;
}

function isComplete(streams: Partial<CliIO>): streams is CliIO {
  return Boolean(streams.stdout && streams.stderr && streams.stdin && streams.env);
}

/** Before parsing we must know --read-only (it shapes the tree) and --json (it shapes errors). */
/** The first word of argv that is not a global option or its value: the command asked for. */
function firstWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i] ?? '';
    if (word === '--profile' || word === '--cwd') i += 1;
    else if (!word.startsWith('-')) return word;
  }
  return undefined;
}

function hasFlag(argv: readonly string[], flag: string): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes(flag);
}

async function manifestOf(tools: readonly AnyTool[]): Promise<ToolManifestEntry[]> {
  const { buildManifest } = await import('../../tools/manifest.js');
  return buildManifest(tools);
}

function packageVersion(): string {
  // From source (vitest) package.json is two levels up; from dist/agent/cli, three.
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string })
        .version;
    } catch {
      continue;
    }
  }
  return '0.0.0';
}
