import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolError } from '../../tools/core/errors.js';
import { actionName, dropEmpty, invokeTool, outputText } from '../../tools/core/invoke.js';
import { defineTool } from '../../tools/core/types.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

/** A destructive fixture with a visible side effect, to prove the gate really stops it. */
const removeMarker = defineTool({
  name: 'fixture_remove_marker',
  title: 'Remove marker',
  description: 'Deletes the marker file.',
  toolset: 'fixture',
  input: z.object({
    path: z.string().describe('Marker path'),
    dry_run: z.boolean().default(false).describe('Only say what would be removed'),
  }),
  output: z.object({ removed: z.string().describe('Path removed') }),
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: false },
  confirmSummary: (input, ctx) => `Delete ${ctx.workspace.display(ctx.workspace.resolve(input.path))}`,
  async run(input, ctx) {
    const full = ctx.workspace.resolve(input.path);
    if (input.dry_run) return { removed: '' };
    const { rmSync } = await import('node:fs');
    rmSync(full);
    return { removed: input.path };
  },
});

const failing = defineTool({
  name: 'fixture_fail',
  title: 'Fail',
  description: 'Always fails.',
  toolset: 'fixture',
  input: z.object({ kind: z.enum(['tool', 'bug']).describe('Which failure') }),
  output: z.object({}),
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  async run(input) {
    if (input.kind === 'tool') throw new ToolError('not_found', 'No such thing', { hint: 'Try another' });
    throw new TypeError('boom');
  },
});

describe('invokeTool', () => {
  it('asks the gate before a destructive call and does nothing when declined', async () => {
    ws = makeWorkspace({ 'marker.txt': 'x' });
    const asked: string[] = [];
    const ctx = await contextFor(ws.root, {
      confirm: async (request) => {
        asked.push(request.summary);
        return false;
      },
    });
    const outcome = await invokeTool(removeMarker, { path: 'marker.txt' }, ctx);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.code).toBe('refused');
    expect(asked).toEqual(['Delete marker.txt']);
    expect(existsSync(join(ws.root, 'marker.txt'))).toBe(true);
  });

  it('runs a destructive call when approved or pre-approved', async () => {
    ws = makeWorkspace({ 'marker.txt': 'x' });
    const ctx = await contextFor(ws.root, { confirm: async () => true });
    expect((await invokeTool(removeMarker, { path: 'marker.txt' }, ctx)).ok).toBe(true);
    expect(existsSync(join(ws.root, 'marker.txt'))).toBe(false);
    writeFileSync(join(ws.root, 'marker.txt'), 'x');
    const declining = await contextFor(ws.root);
    expect(
      (await invokeTool(removeMarker, { path: 'marker.txt' }, declining, { preApproved: true })).ok,
    ).toBe(true);
    expect(existsSync(join(ws.root, 'marker.txt'))).toBe(false);
  });

  it('runs a dry run of a destructive tool without asking', async () => {
    ws = makeWorkspace({ 'marker.txt': 'x' });
    let asked = 0;
    const ctx = await contextFor(ws.root, { confirm: async () => (asked++, false) });
    expect((await invokeTool(removeMarker, { path: 'marker.txt', dry_run: true }, ctx)).ok).toBe(true);
    expect(asked).toBe(0);
    expect(existsSync(join(ws.root, 'marker.txt'))).toBe(true);
  });

  it('reports a failing confirmation summary as an error result, running nothing', async () => {
    ws = makeWorkspace({ 'marker.txt': 'x' });
    const ctx = await contextFor(ws.root, { confirm: async () => true });
    const outcome = await invokeTool(removeMarker, { path: '../escape.txt' }, ctx);
    expect(!outcome.ok && outcome.error.code).toBe('outside_workspace');
    expect(existsSync(join(ws.root, 'marker.txt'))).toBe(true);
  });

  it('refuses writes in read-only mode before asking anyone', async () => {
    ws = makeWorkspace({ 'marker.txt': 'x' });
    const ctx = await contextFor(ws.root, { confirm: async () => true });
    const outcome = await invokeTool(removeMarker, { path: 'marker.txt' }, ctx, {
      readOnly: true,
      preApproved: true,
    });
    expect(!outcome.ok && outcome.error.code).toBe('read_only');
    expect(existsSync(join(ws.root, 'marker.txt'))).toBe(true);
  });

  it('turns invalid input into invalid_input naming the field', async () => {
    ws = makeWorkspace();
    const outcome = await invokeTool(failing, { kind: 'other' }, await contextFor(ws.root));
    expect(!outcome.ok && outcome.error.code).toBe('invalid_input');
    expect(!outcome.ok && outcome.error.message).toContain('kind');
    expect(!outcome.ok && outcome.error.hint).toContain('datastack fixture fail --help');
  });

  it('keeps ToolErrors and marks other failures internal', async () => {
    ws = makeWorkspace();
    const ctx = await contextFor(ws.root);
    const expected = await invokeTool(failing, { kind: 'tool' }, ctx);
    expect(!expected.ok && expected.error.toJSON()).toEqual({
      code: 'not_found',
      message: 'No such thing',
      hint: 'Try another',
      recoverable: true,
    });
    const bug = await invokeTool(failing, { kind: 'bug' }, ctx);
    expect(!bug.ok && bug.error.code).toBe('internal');
    expect(!bug.ok && bug.error.recoverable).toBe(false);
  });

  it('reports aborted when the signal fired', async () => {
    ws = makeWorkspace({ 'marker.txt': 'x' });
    const controller = new AbortController();
    controller.abort();
    const ctx = await contextFor(ws.root, { signal: controller.signal });
    const outcome = await invokeTool(removeMarker, { path: 'marker.txt' }, ctx, { preApproved: true });
    expect(!outcome.ok && outcome.error.code).toBe('aborted');
    expect(existsSync(join(ws.root, 'marker.txt'))).toBe(true);
  });

  it("keeps a tool's own cancellation message (what it undid); anything else thrown after an abort is 'Cancelled'", async () => {
    ws = makeWorkspace();
    const stoppable = (thrown: () => Error) =>
      defineTool({
        name: 'fixture_stoppable',
        title: 'Stoppable',
        description: 'Waits for the abort, then throws.',
        toolset: 'fixture',
        input: z.object({}),
        output: z.object({}),
        annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
        run: (_input, ctx) =>
          new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(thrown()))),
      });
    for (const [thrown, message] of [
      [() => new ToolError('aborted', 'Cancelled: run 42 marked KILLED'), 'Cancelled: run 42 marked KILLED'],
      [() => new Error('socket hang up'), 'Cancelled'],
    ] as const) {
      const controller = new AbortController();
      const ctx = await contextFor(ws.root, { signal: controller.signal });
      const pending = invokeTool(stoppable(thrown), {}, ctx);
      controller.abort();
      const outcome = await pending;
      expect(!outcome.ok && outcome.error.code).toBe('aborted');
      expect(!outcome.ok && outcome.error.message).toBe(message);
    }
  });
});

describe('naming and text', () => {
  it('derives the CLI action from the name less the toolset', () => {
    expect(actionName(removeMarker)).toBe('remove-marker');
    expect(actionName({ ...failing, action: 'explode' })).toBe('explode');
  });

  it('drops empty fields from the compact text', () => {
    expect(dropEmpty({ a: 1, b: null, c: [], d: '', e: { f: undefined, g: [{ h: '' }] } })).toEqual({
      a: 1,
      e: { g: [{}] },
    });
    expect(outputText(failing, { x: [], y: 2 })).toBe('{"y":2}');
  });
});
