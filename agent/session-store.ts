/**
 * Sessions as JSONL under `<workspace>/.datastack/sessions/<id>.jsonl`: a `meta` line, then one
 * line per conversation message and per turn's usage, and a `done` line per run. Enough to resume
 * a chat (`datastack chat --resume [ID]`). Every line is scrubbed of known secrets. Ids start
 * with a UTC timestamp, so they sort by creation time.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { scrubSecrets } from '../tools/core/config.js';
import { ToolError } from '../tools/core/errors.js';
import {
  addCost,
  addUsage,
  emptyUsage,
  type AgentEvent,
  type CostedUsage,
  type DoneReason,
  type TokenUsage,
} from './events.js';

export interface SessionMeta {
  id: string;
  created: string;
  model: string;
  /** `chat` or `ask`. */
  face: string;
  profile: string;
}

export type SessionRecord =
  | ({ type: 'meta' } & SessionMeta)
  | { type: 'message'; message: MessageParam }
  | { type: 'usage'; model: string; usage: TokenUsage; cost_usd: number | null }
  | { type: 'done'; reason: DoneReason; turns: number; at: string };

export interface LoadedSession {
  meta: SessionMeta;
  messages: MessageParam[];
  usage: CostedUsage;
  runs: number;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$/;

/** `20250102-030405-678-a1b2c3`: UTC time to the millisecond, then randomness. */
export function newSessionId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export class Session {
  constructor(
    readonly id: string,
    readonly path: string,
    private readonly secrets: readonly string[],
  ) {}

  append(record: SessionRecord): void {
    appendFileSync(this.path, `${scrubSecrets(JSON.stringify(record), this.secrets)}\n`);
  }

  /** Saves what a resume needs from one agent event (messages, usage, run ends); skips the rest. */
  record(event: AgentEvent): void {
    if (event.type === 'message') this.append({ type: 'message', message: event.message });
    else if (event.type === 'usage') {
      const { cost_usd, ...usage } = event.turn;
      this.append({ type: 'usage', model: event.model, usage, cost_usd });
    } else if (event.type === 'done') {
      this.append({ type: 'done', reason: event.reason, turns: event.turns, at: new Date().toISOString() });
    }
  }
}

export class SessionStore {
  readonly dir: string;

  constructor(
    workspaceRoot: string,
    private readonly secrets: readonly string[] = [],
  ) {
    this.dir = join(workspaceRoot, '.datastack', 'sessions');
  }

  create(meta: Omit<SessionMeta, 'id' | 'created'>, now: Date = new Date()): Session {
    mkdirSync(this.dir, { recursive: true });
    const id = newSessionId(now);
    const session = new Session(id, this.pathOf(id), this.secrets);
    session.append({ type: 'meta', id, created: now.toISOString(), ...meta });
    return session;
  }

  /** Opens an existing session to append to it. */
  open(id: string): Session {
    const path = this.pathOf(id);
    if (!existsSync(path)) throw this.notFound(id);
    return new Session(id, path, this.secrets);
  }

  /** Session ids, oldest first. */
  list(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((file) => file.endsWith('.jsonl'))
      .map((file) => file.slice(0, -'.jsonl'.length))
      .sort();
  }

  /** The session written to last (ties: the newest id). */
  latest(): string | undefined {
    let best: { id: string; mtime: number } | undefined;
    for (const id of this.list()) {
      const mtime = statSync(this.pathOf(id)).mtimeMs;
      if (!best || mtime > best.mtime || (mtime === best.mtime && id > best.id)) best = { id, mtime };
    }
    return best?.id;
  }

  load(id: string): LoadedSession {
    const path = this.pathOf(id);
    if (!existsSync(path)) throw this.notFound(id);
    let meta: SessionMeta | undefined;
    const messages: MessageParam[] = [];
    let usage = emptyUsage();
    let cost: number | null = 0;
    let runs = 0;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let record: SessionRecord;
      try {
        record = JSON.parse(line) as SessionRecord;
      } catch {
        continue; // a line cut short by a crash
      }
      if (record.type === 'meta') {
        const { type: _type, ...rest } = record;
        meta = rest;
      } else if (record.type === 'message') messages.push(record.message);
      else if (record.type === 'usage') {
        usage = addUsage(usage, record.usage);
        cost = addCost(cost, record.cost_usd);
      } else if (record.type === 'done') runs += 1;
    }
    if (!meta) {
      throw new ToolError('invalid_input', `Session ${id} has no meta line`, {
        hint: `The file ${path} is damaged`,
      });
    }
    return { meta, messages, usage: { ...usage, cost_usd: cost }, runs };
  }

  private pathOf(id: string): string {
    if (!ID_PATTERN.test(id)) {
      throw new ToolError('invalid_input', `"${id}" is not a session id`, {
        hint: 'See the ids in .datastack/sessions/',
      });
    }
    return join(this.dir, `${id}.jsonl`);
  }

  private notFound(id: string): ToolError {
    const known = this.list().slice(-5);
    return new ToolError('not_found', `No session "${id}" in ${this.dir}`, {
      hint: known.length ? `Recent sessions: ${known.join(', ')}` : 'No sessions saved yet in this workspace',
    });
  }
}
