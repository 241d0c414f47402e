/**
 * The Nessie client's faults and encodings. Faults a real Nessie cannot be made to show on cue
 * (no answer, a connection dropped mid-call, a 401) come from a bare node:http server standing in
 * for it; the rest of the Nessie tests use the real server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError } from '../../tools/core/errors.js';
import { apiBase, NessieClient, parseJson, refPath } from '../../tools/nessie/client.js';
import { nessieCreateReference } from '../../tools/nessie/create-reference.js';
import { nessieDeleteReference } from '../../tools/nessie/delete-reference.js';
import { nessieGetContent } from '../../tools/nessie/get-content.js';
import { nessieListReferences } from '../../tools/nessie/list-references.js';
import { nessieMerge } from '../../tools/nessie/merge-branch.js';
import { formatKey, keyToPathString, parseKey } from '../../tools/nessie/model.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { callError } from './fixtures.js';

let fault: Server;
let faultUrl: string;
let seenAuth: string | undefined;
let closedPort: number;
const workspaces: TempWorkspace[] = [];

beforeAll(async () => {
  fault = createServer((req: IncomingMessage, res: ServerResponse) => {
    seenAuth = req.headers.authorization;
    if (req.url?.includes('/hang')) return; // never answers
    if (req.url?.includes('/drop')) {
      req.socket.destroy();
      return;
    }
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ status: 401, message: 'Unauthorized', errorCode: 'UNAUTHORIZED' }));
  });
  await new Promise<void>((resolve) => fault.listen(0, '127.0.0.1', resolve));
  faultUrl = `http://127.0.0.1:${(fault.address() as AddressInfo).port}`;
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(() => {
  fault.closeAllConnections();
  fault.close();
  for (const ws of workspaces) ws.cleanup();
});

async function contextWithNessie(url?: string, token?: string) {
  const nessie = url ? `    nessie:\n      url: ${url}\n${token ? `      token: ${token}\n` : ''}` : '';
  const ws = makeWorkspace({
    'datastack.yaml': `profile: p\nprofiles:\n  p:\n${nessie || '    query: {}\n'}`,
  });
  workspaces.push(ws);
  return contextFor(ws.root, { confirm: () => Promise.resolve(true) });
}

describe('a Nessie that cannot be used', () => {
  it('is down: unavailable, with the stack status hint', async () => {
    const ctx = await contextWithNessie(`http://127.0.0.1:${closedPort}/api/v2`);
    const error = await callError(nessieListReferences, {}, ctx);
    expect(error.code).toBe('unavailable');
    expect(error.message).toBe(
      `Nessie at http://127.0.0.1:${closedPort}/api/v2 refused the connection: is it running?`,
    );
    expect(error.hint).toContain('`datastack stack status`');
    // A destructive tool fails the same way, whether or not the question could read the branch.
    const merge = await callError(nessieMerge, { from: 'dev' }, ctx);
    expect(merge.code).toBe('unavailable');
  });

  it('does not answer: unavailable after the timeout', async () => {
    const client = new NessieClient({ url: `${faultUrl}/api/v2`, timeoutMs: 300 });
    const error = (await client.get('hang').catch((e: unknown) => e)) as ToolError;
    expect(error).toBeInstanceOf(ToolError);
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('did not answer within 0.3 s');
  });

  it('drops the connection mid-call: unavailable, naming Nessie', async () => {
    const client = new NessieClient({ url: `${faultUrl}/api/v2` });
    const error = (await client.get('drop').catch((e: unknown) => e)) as ToolError;
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain(`Nessie at ${faultUrl}/api/v2 closed the connection`);
    expect(error.hint).toContain('datastack stack status');
  });

  it('is cancelled: aborted', async () => {
    const client = new NessieClient({ url: `${faultUrl}/api/v2` });
    const controller = new AbortController();
    const pending = client.get('hang', { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(((await pending) as ToolError).code).toBe('aborted');
  });

  it('refuses the token: unauthorized, and the bearer token was sent', async () => {
    const ctx = await contextWithNessie(`${faultUrl}/api/v2`, 'sekrit-token');
    const error = await callError(nessieListReferences, {}, ctx);
    expect(error.code).toBe('unauthorized');
    expect(error.hint).toContain('nessie.token');
    expect(seenAuth).toBe('Bearer sekrit-token');
  });

  it('is not configured: a config error that says how to get one', async () => {
    const ctx = await contextWithNessie();
    const error = await callError(nessieListReferences, {}, ctx);
    expect(error.code).toBe('config');
    expect(error.hint).toContain('datastack stack up');
    expect(error.hint).toContain('--profile stack');
  });
});

describe('invalid names', () => {
  it('are refused before any call (the configured Nessie is down, so a call would say unavailable)', async () => {
    const ctx = await contextWithNessie(`http://127.0.0.1:${closedPort}/api/v2`);
    for (const name of ['bad..name', '-main', 'ends/', 'ends.', 'has space', '']) {
      const error = await callError(nessieCreateReference, { name }, ctx);
      expect(error.code, name).toBe('invalid_input');
    }
    expect((await callError(nessieDeleteReference, { name: 'x', expected_hash: 'zz' }, ctx)).code).toBe(
      'invalid_input',
    );
    expect((await callError(nessieMerge, { from: 'a..b' }, ctx)).code).toBe('invalid_input');
    expect((await callError(nessieGetContent, { key: '.bad*escape' }, ctx)).code).toBe('invalid_input');
  });
});

describe('encodings', () => {
  it('keeps integers beyond 2^53 exact, and leaves strings alone', () => {
    const text =
      '{"snapshotId": 3051729675574597004, "n": -9007199254740993, "small": 42, "f": 1.5e3, "s": "id 3051729675574597004 \\" 12345678901234567890"}';
    expect(parseJson(text)).toEqual({
      snapshotId: '3051729675574597004',
      n: '-9007199254740993',
      small: 42,
      f: 1500,
      s: 'id 3051729675574597004 " 12345678901234567890',
    });
    expect(parseJson('[9007199254740991]')).toEqual([9007199254740991]);
  });

  it('writes and reads content keys as Nessie does', () => {
    expect(formatKey(['sales', 'orders'])).toBe('sales.orders');
    expect(formatKey(['foo.', '.bar', 'a*b'])).toBe('.foo*..*.bar.a**b');
    expect(parseKey('.foo*..*.bar.a**b')).toEqual(['foo.', '.bar', 'a*b']);
    expect(parseKey('sales.orders')).toEqual(['sales', 'orders']);
    // NESSIE-SPEC-2-0.md's example of the escaped (URL) form.
    expect(keyToPathString(['foo.', '.bar', 'a/\\%aa'])).toBe('.foo*..*.bar.a*{*}*[aa');
    expect(parseKey('.foo*..*.bar.a*{*}*[aa')).toEqual(['foo.', '.bar', 'a/\\%aa']);
    expect(() => parseKey('.a*x')).toThrow(/bad escape/);
  });

  it("builds reference paths and API roots as Nessie's own client does", () => {
    expect(refPath('main')).toBe('main');
    expect(refPath('agent/s1')).toBe('agent/s1@');
    expect(refPath('agent/s1', 'abcdef12')).toBe('agent/s1@abcdef12');
    expect(apiBase('http://h:19120')).toBe('http://h:19120/api/v2');
    expect(apiBase('http://h:19120/api/v1/')).toBe('http://h:19120/api/v2');
    expect(apiBase('http://h:19120/api/v2')).toBe('http://h:19120/api/v2');
  });
});
