/**
 * Runs one tool for the command line: resolve the config, load the tool's own module (zod and
 * that module: only now, never at start-up; not the other tools), build the context with a terminal logger, progress
 * and y/N gate, invoke, close the clients, render. Imported lazily by the program.
 */
import { scrubSecrets } from '../../tools/core/config.js';
import { createToolContext } from '../../tools/core/context.js';
import { ToolError } from '../../tools/core/errors.js';
import { invokeTool } from '../../tools/core/invoke.js';
import type { AnyTool, Logger } from '../../tools/core/types.js';
import type { ToolManifestEntry } from '../../tools/manifest.js';
import { loadCliConfig } from './config-command.js';
import { createCliConfirm, type TtyConfirmState } from './confirm.js';
import { EXIT, outputWidth, reportError, type CliGlobals, type CliIO, type Writer } from './io.js';
import { createProgressRenderer } from './progress.js';
import { renderHuman, renderJson } from './render.js';

export interface RunToolOptions {
  io: CliIO;
  globals: CliGlobals;
  /** The registry to run from; the real one (tools/index.js) unless a test passes its own. */
  tools?: readonly AnyTool[];
}

export async function runTool(
  entry: ToolManifestEntry,
  input: Record<string, unknown>,
  options: RunToolOptions,
): Promise<number> {
  const { io, globals } = options;
  const json = Boolean(globals.json);
  const loaded = await loadCliConfig(io, globals);
  if (!loaded.ok) return reportError(io, loaded.error.toJSON(), json);
  const config = loaded.config;

  const tool = options.tools
    ? options.tools.find((t) => t.name === entry.name)
    : await (await import('../../tools/manifest.js')).loadManifestTool(entry);
  if (!tool) {
    const error = new ToolError('internal', `Tool ${entry.name} is in the manifest but not in the registry`, {
      hint: 'The build is stale: run `npm run build`',
    });
    return reportError(io, error.toJSON(), json);
  }

  const progress = createProgressRenderer(io.stderr);
  const confirmState: TtyConfirmState = { refusedWithoutTty: false };
  const askTty = createCliConfirm(io, confirmState);
  const controller = new AbortController();
  const interrupts = watchInterrupts(controller, io.stderr);
  const ctx = createToolContext({
    config,
    signal: controller.signal,
    log: terminalLogger(io, config.secrets, () => progress.stop()),
    progress: progress.report,
    confirm: (request) => {
      progress.stop();
      return askTty(request);
    },
  });

  let outcome;
  try {
    outcome = await invokeTool(tool, input, ctx, {
      readOnly: Boolean(globals.readOnly),
      preApproved: Boolean(globals.yes),
    });
  } finally {
    progress.stop();
    interrupts.dispose();
    await ctx.clients.closeAll();
  }

  if (!outcome.ok) {
    const error = explainRefusal(outcome.error, tool, confirmState);
    const details = error.toJSON();
    const scrubbed = { ...details, message: scrubSecrets(details.message, config.secrets) };
    const cause = error.cause instanceof Error ? error.cause.stack : undefined;
    return reportError(io, scrubbed, json, cause);
  }
  const text = json ? renderJson(outcome.output) : renderHuman(outcome.output, { width: outputWidth(io) });
  io.stdout.write(scrubSecrets(text, config.secrets));
  return EXIT.ok;
}

/** invokeTool words a refusal for the model; a person at a shell needs to hear about --yes. */
function explainRefusal(error: ToolError, tool: AnyTool, state: TtyConfirmState): ToolError {
  if (error.code !== 'refused') return error;
  if (state.refusedWithoutTty) {
    return new ToolError(
      'refused',
      `${tool.name} is destructive and there is no terminal to ask for confirmation`,
      {
        hint: 'Pass --yes to run it without asking',
      },
    );
  }
  return new ToolError('refused', `Cancelled: ${tool.name} was not run`, {
    hint: 'Pass --yes to skip the question',
  });
}

/** First Ctrl-C aborts the tool (it cleans up); a second one leaves at once. */
function watchInterrupts(controller: AbortController, stderr: Writer): { dispose(): void } {
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    stderr.write('\ninterrupting… (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { dispose: () => process.off('SIGINT', onSigint) };
}

/** Like the core stderr logger, but clears the progress line first and writes to the CLI's stderr. */
function terminalLogger(io: CliIO, secrets: readonly string[], clearProgress: () => void): Logger {
  const debug = io.env.DATASTACK_DEBUG === '1';
  const write = (level: string, message: string) => {
    clearProgress();
    io.stderr.write(`${level} ${scrubSecrets(message, secrets)}\n`);
  };
  return {
    debug: (m) => debug && write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}
