/**
 * `datastack chat`: a readline REPL over runAgent. Text streams in as rendered Markdown, tool calls
 * show with their arguments and a spinner, destructive calls ask y/N on the same readline, and
 * every message is saved to the session file. Ctrl-C cancels the running turn; twice at an empty
 * prompt it leaves. Lines typed (or piped) while a turn runs wait their turn.
 */
import { createInterface } from 'node:readline';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { agentWorkBranch, createStderrLogger, createToolContext } from '../../tools/core/context.js';
import { isToolError } from '../../tools/core/errors.js';
import type { ConfirmGate } from '../../tools/core/types.js';
import { stopMessage } from '../ask.js';
import type { ChatOptions } from '../cli/options.js';
import { addCost, addUsage, emptyUsage, type AgentEvent, type CostedUsage } from '../events.js';
import { runAgent } from '../loop.js';
import { formatCost } from '../pricing.js';
import type { Session } from '../session-store.js';
import {
  EXIT,
  prepareAgent,
  sessionSystem,
  SetupError,
  type AgentOverrides,
  type AgentSetup,
} from '../setup.js';
import { isSlashCommand, runSlashCommand, type ChatCommandState } from './commands.js';
import { createMarkdownWriter } from './markdown.js';
import { ANSI, PLAIN, ToolDisplay } from './tool-display.js';

export interface ChatIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
}

const zeroUsage = (): CostedUsage => ({ ...emptyUsage(), cost_usd: 0 });

export async function runChat(
  options: ChatOptions,
  io: ChatIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  overrides: AgentOverrides = {},
): Promise<number> {
  let setup: AgentSetup;
  try {
    setup = await prepareAgent('chat', options, overrides);
  } catch (error) {
    if (error instanceof SetupError) {
      io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
  const { config, store, model } = setup;
  let session: Session;
  let messages: MessageParam[] = [];
  let usage = zeroUsage();
  try {
    if (options.resume) {
      const id = options.resume === true ? store.latest() : options.resume;
      if (!id) throw new SetupError(`error: no saved session to resume in ${store.dir}`, EXIT.usage);
      const loaded = store.load(id);
      session = store.open(id);
      messages = loaded.messages;
      usage = loaded.usage;
    } else session = store.create({ model, face: 'chat', profile: config.profile });
  } catch (error) {
    if (error instanceof SetupError) io.stderr.write(`${error.message}\n`);
    else if (isToolError(error)) io.stderr.write(`error: ${error.toLine()}\n`);
    else throw error;
    return EXIT.usage;
  }

  const terminal = Boolean(io.stdin.isTTY && io.stdout.isTTY);
  const style = io.stdout.isTTY ? ANSI : PLAIN;
  const markdown = await createMarkdownWriter(io.stdout, {
    render: Boolean(io.stdout.isTTY),
    width: io.stdout.columns ?? 100,
  });
  // Readline starts reading at once: from here on, listeners attach before the next await.
  const rl = createInterface({ input: io.stdin, output: io.stdout, terminal, historySize: 500 });
  const display = new ToolDisplay(io.stdout, Boolean(io.stdout.isTTY));
  const print = (text: string) => io.stdout.write(`${text}\n`);

  // Input: lines queue up; a pending y/N question takes the next one.
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let inputClosed = false;
  let answerQuestion: ((answer: string) => void) | undefined;
  let current: AbortController | undefined;
  let idleInterrupts = 0;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const nextLine = async (): Promise<string | undefined> => {
    for (;;) {
      if (queue.length > 0) return queue.shift();
      if (inputClosed) return undefined;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  const prompt = (text = style.cyan('› ')) => {
    if (!terminal) return;
    rl.setPrompt(text);
    rl.prompt();
  };

  rl.on('line', (line) => {
    if (answerQuestion) {
      const answer = answerQuestion;
      answerQuestion = undefined;
      answer(line);
    } else {
      queue.push(line);
      notify();
    }
  });
  rl.on('close', () => {
    inputClosed = true;
    // Ctrl-D at a terminal means leave now; the end of piped input lets queued lines finish.
    if (terminal) current?.abort();
    answerQuestion?.('');
    notify();
  });
  const onInterrupt = () => {
    if (answerQuestion) answerQuestion('');
    if (current) {
      current.abort();
      return;
    }
    idleInterrupts += 1;
    if (idleInterrupts >= 2) {
      inputClosed = true;
      notify();
      return;
    }
    io.stdout.write(`\n${style.dim('(Ctrl-C again to exit, or /exit)')}\n`);
    prompt();
  };
  rl.on('SIGINT', onInterrupt);
  process.on('SIGINT', onInterrupt);

  const confirm: ConfirmGate = async (request) => {
    markdown.flush();
    display.pause();
    const question = `${style.red('?')} ${request.summary}. Run ${request.tool}? [y/N] `;
    let answer: string;
    if (queue.length > 0) {
      answer = queue.shift()!;
      print(`${question}${answer}`);
    } else if (inputClosed) {
      answer = '';
      print(`${question}(no input: declined)`);
    } else {
      answer = await new Promise<string>((resolve) => {
        answerQuestion = resolve;
        if (terminal) prompt(question);
        else io.stdout.write(question);
      });
    }
    display.resume();
    return /^y(es)?$/i.test(answer.trim());
  };

  const baseCtx = createToolContext({
    config,
    confirm,
    log: createStderrLogger(config.secrets),
  });
  const useWorkBranchOf = (id: string) => {
    const branch = agentWorkBranch(config, id);
    if (branch) baseCtx.workBranch = branch;
  };
  useWorkBranchOf(session.id);
  const state: ChatCommandState = {
    tools: setup.tools,
    model,
    sessionId: () => session.id,
    usage: () => usage,
    clear: () => {
      messages = [];
      usage = zeroUsage();
      session = store.create({ model, face: 'chat', profile: config.profile });
      // A new conversation writes on a new working branch; the old one stays for a person to merge.
      useWorkBranchOf(session.id);
      return session.id;
    },
    print,
  };

  const runTurn = async (text: string) => {
    current = new AbortController();
    const events = runAgent({
      client: setup.client,
      tools: setup.tools,
      system: sessionSystem(setup.system, baseCtx.workBranch),
      messages,
      prompt: text,
      ctx: baseCtx,
      signal: current.signal,
      model,
      maxTokens: setup.maxTokens,
      maxTurns: setup.maxTurns,
      policy: { readOnly: options.readOnly ?? false, preApproved: options.yes ?? false },
      confirm,
    });
    try {
      for await (const event of events) {
        session.record(event);
        render(event);
      }
    } catch (error) {
      markdown.flush();
      print(style.red(`error: ${error instanceof Error ? error.message : String(error)}`));
    } finally {
      display.stop();
      current = undefined;
    }
  };

  const render = (event: AgentEvent) => {
    switch (event.type) {
      case 'message':
        messages.push(event.message);
        break;
      case 'text':
        markdown.write(event.text);
        break;
      case 'tool_call':
        markdown.flush();
        display.handle(event);
        break;
      case 'tool_progress':
      case 'tool_result':
        display.handle(event);
        break;
      case 'usage':
        usage = { ...addUsage(usage, event.turn), cost_usd: addCost(usage.cost_usd, event.turn.cost_usd) };
        break;
      case 'error':
        markdown.flush();
        print(style.red(`error: ${event.message}${event.status ? ` (HTTP ${event.status})` : ''}`));
        break;
      case 'done': {
        markdown.flush();
        const note =
          event.reason === 'end_turn' || event.reason === 'stop_sequence'
            ? ''
            : `${stopMessage(event.reason, setup.maxTurns)} · `;
        print(
          style.dim(
            `${note}${event.turns} turn${event.turns === 1 ? '' : 's'} · ${formatCost(event.usage.cost_usd)}`,
          ),
        );
        break;
      }
      case 'turn':
        break;
    }
  };

  const resumed = options.resume
    ? ` · resumed (${messages.length} messages, ${formatCost(usage.cost_usd)})`
    : '';
  print(
    style.dim(`DataStack chat · ${model} · ${setup.tools.length} tools · session ${session.id}${resumed}`),
  );
  print(style.dim('/help for commands · Ctrl-C cancels a turn · /exit leaves'));
  try {
    prompt();
    for (;;) {
      const line = await nextLine();
      if (line === undefined) break;
      idleInterrupts = 0;
      const text = line.trim();
      if (text && isSlashCommand(text)) {
        if (runSlashCommand(text, state) === 'exit') break;
      } else if (text) {
        await runTurn(text);
      }
      prompt();
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    rl.close();
    await baseCtx.clients.closeAll();
  }
  return EXIT.ok;
}
