/**
 * A fake of Anthropic's Messages API (`POST /v1/messages`), following the documented API: JSON
 * answers, and for `stream: true` Server-Sent Events where every frame has its `event:` line
 * (message_start, content_block_start, content_block_delta with text_delta / input_json_delta,
 * content_block_stop, message_delta with the stop reason and cumulative usage, message_stop,
 * ping, error). Errors use the API's JSON shape `{type: "error", error: {type, message}}`.
 *
 * A fake is allowed here because no real Anthropic server can run on this machine (STYLE.md §13).
 * The real SDK talks to it over real HTTP through `baseURL`. Turns are scripted; every request is
 * recorded for assertions.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptBlock =
  | { type: 'text'; text: string }
  /** `rawJson` sends these exact argument bytes instead of JSON.stringify(input). */
  | { type: 'tool_use'; name: string; input?: unknown; id?: string; rawJson?: string };

export interface ScriptUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface TurnStep {
  content: ScriptBlock[];
  /** Default: `tool_use` when a tool_use block is present, else `end_turn`. */
  stop_reason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'pause_turn';
  usage?: ScriptUsage;
  /** Milliseconds between SSE frames (for abort tests). */
  delayMs?: number;
  /** Pieces each text delta / JSON argument string is split into (default 3). */
  pieces?: number;
}

/** An HTTP error answer, e.g. 529 overloaded_error or 400 invalid_request_error. */
export interface HttpErrorStep {
  httpError: { status: number; type: string; message: string; retryAfterMs?: number };
}

/** An `error` SSE event after the given blocks have streamed (an overload mid-stream). */
export interface StreamErrorStep {
  streamError: { type: string; message: string };
  before?: ScriptBlock[];
}

export type StaticStep = TurnStep | HttpErrorStep | StreamErrorStep;
export type ScriptStep = StaticStep | ((request: RecordedRequest) => StaticStep | Promise<StaticStep>);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: MessagesRequestBody;
}

/** The parts of a request body tests look at; the rest is kept as sent. */
export interface MessagesRequestBody {
  model: string;
  max_tokens: number;
  stream?: boolean;
  system?: string | Array<{ type: string; text: string; cache_control?: { type: string } }>;
  tools?: Array<{
    name: string;
    description?: string;
    input_schema: Record<string, unknown>;
    cache_control?: { type: string };
  }>;
  messages: Array<{ role: string; content: string | Array<Record<string, unknown> & { type: string }> }>;
  [key: string]: unknown;
}

export interface FakeAnthropic {
  /** Base URL for the SDK (`baseURL`) or ANTHROPIC_BASE_URL. */
  url: string;
  requests: RecordedRequest[];
  /** Queues more scripted steps. */
  push(...steps: ScriptStep[]): void;
  /** Steps not consumed yet. */
  remaining(): number;
  close(): Promise<void>;
}

export const DEFAULT_USAGE: ScriptUsage = { input_tokens: 100, output_tokens: 20 };

export async function startFakeAnthropic(steps: ScriptStep[] = []): Promise<FakeAnthropic> {
  const queue = [...steps];
  const requests: RecordedRequest[] = [];
  let messageCounter = 0;

  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      void (async () => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (req.method !== 'POST' || path !== '/v1/messages') {
          return sendError(res, 404, 'not_found_error', `No route for ${req.method} ${path}`);
        }
        let body: MessagesRequestBody;
        try {
          body = JSON.parse(raw) as MessagesRequestBody;
        } catch {
          return sendError(res, 400, 'invalid_request_error', 'Request body is not valid JSON');
        }
        const recorded: RecordedRequest = { method: req.method, path, headers: req.headers, body };
        requests.push(recorded);
        // The API takes `x-api-key`; SDK 1.x sends the key as `Authorization: Bearer`.
        if (!apiKeyOf(req.headers)) {
          return sendError(res, 401, 'authentication_error', 'x-api-key or Authorization header is required');
        }
        const next = queue.shift();
        if (!next) return sendError(res, 500, 'api_error', 'fake Anthropic server: no scripted step left');
        const step = typeof next === 'function' ? await next(recorded) : next;
        messageCounter += 1;
        const id = `msg_fake_${messageCounter}`;
        if ('httpError' in step) {
          const { status, type, message, retryAfterMs } = step.httpError;
          return sendError(res, status, type, message, retryAfterMs);
        }
        if (body.stream) return streamStep(res, id, body.model, step);
        if ('streamError' in step)
          return sendError(res, 500, step.streamError.type, step.streamError.message);
        return sendJson(res, 200, messageJson(id, body.model, step));
      })().catch((error: unknown) => sendError(res, 500, 'api_error', `fake failed: ${String(error)}`));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    push: (...more) => queue.push(...more),
    remaining: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The key a request authenticated with, from either header. */
export function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const key = headers['x-api-key'];
  if (typeof key === 'string' && key) return key;
  const auth = headers.authorization;
  return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
}

let toolCounter = 0;

function toolId(block: Extract<ScriptBlock, { type: 'tool_use' }>): string {
  return block.id ?? `toolu_fake_${(toolCounter += 1).toString().padStart(4, '0')}`;
}

function stopReasonOf(step: TurnStep): string {
  return step.stop_reason ?? (step.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
}

function fullUsage(usage: ScriptUsage = DEFAULT_USAGE) {
  return {
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
  };
}

function messageJson(id: string, model: string, step: TurnStep) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: step.content.map((block) =>
      block.type === 'text'
        ? { type: 'text', text: block.text, citations: null }
        : { type: 'tool_use', id: toolId(block), name: block.name, input: block.input ?? {} },
    ),
    stop_reason: stopReasonOf(step),
    stop_sequence: null,
    usage: fullUsage(step.usage),
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  retryAfterMs?: number,
): void {
  // `retry-after-ms` keeps the SDK's retry of a 429/529 fast in tests.
  const headers: Record<string, string> =
    retryAfterMs === undefined ? {} : { 'retry-after-ms': String(retryAfterMs) };
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: 'req_fake' }, headers);
}

/** Splits a string into `n` roughly equal, non-empty pieces. */
export function splitPieces(text: string, n: number): string[] {
  if (text.length <= 1 || n <= 1) return [text];
  const size = Math.ceil(text.length / n);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function streamStep(
  res: ServerResponse,
  id: string,
  model: string,
  step: TurnStep | StreamErrorStep,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'request-id': 'req_fake',
  });
  let closed = false;
  res.on('close', () => (closed = true));
  const delay = 'delayMs' in step ? (step.delayMs ?? 0) : 0;
  const pieces = 'pieces' in step ? (step.pieces ?? 3) : 3;
  const send = async (event: string, data: unknown) => {
    if (closed) return;
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  };

  const usage = fullUsage('usage' in step ? step.usage : undefined);
  await send('message_start', {
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // The API reports the input side up front and output_tokens so far (1).
      usage: { ...usage, output_tokens: 1 },
    },
  });
  await send('ping', { type: 'ping' });

  const blocks = 'content' in step ? step.content : (step.before ?? []);
  for (const [index, block] of blocks.entries()) {
    if (block.type === 'text') {
      await send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '', citations: null },
      });
      for (const piece of splitPieces(block.text, pieces)) {
        await send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: piece },
        });
      }
    } else {
      await send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: toolId(block), name: block.name, input: {} },
      });
      const json = block.rawJson ?? JSON.stringify(block.input ?? {});
      for (const piece of splitPieces(json, pieces)) {
        await send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: piece },
        });
      }
    }
    await send('content_block_stop', { type: 'content_block_stop', index });
  }

  if ('streamError' in step) {
    await send('error', { type: 'error', error: step.streamError });
    res.end();
    return;
  }
  await send('ping', { type: 'ping' });
  await send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReasonOf(step), stop_sequence: null },
    usage,
  });
  await send('message_stop', { type: 'message_stop' });
  res.end();
}
