/** Ctrl-C (an aborted signal) stops the running stage and what it started, and removes its outputs. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pipelineRun } from '../../tools/pipeline/run-pipeline.js';
import { call, callError } from '../helpers/call.js';
import { pipelineShow } from '../../tools/pipeline/show-pipeline.js';
import { contextFor, makeWorkspace } from '../helpers/workspace.js';

describe('pipeline run cancelled', () => {
  const ws = makeWorkspace({
    'pipelines/slow.yaml': [
      'name: slow',
      'stages:',
      '  - name: wait',
      '    kind: command',
      '    command: "echo started > partial.txt; echo $$ > pid.txt; sleep 60"',
      '    outputs: [partial.txt]',
      '  - name: after',
      '    kind: command',
      '    command: "touch after.txt"',
      '    outputs: [after.txt]',
    ].join('\n'),
  });
  afterAll(() => ws.cleanup());

  it('kills the stage, removes its output and runs nothing after it', async () => {
    const controller = new AbortController();
    const ctx = await contextFor(ws.root, { signal: controller.signal });
    const pending = callError(pipelineRun, { pipeline: 'slow' }, ctx);
    // Abort once the stage has started (its pid file is written).
    while (!existsSync(join(ws.root, 'pid.txt'))) await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await pending;
    expect(error.code).toBe('aborted');
    const shown = await call<{ stages: Array<{ last_status?: string }> }>(
      pipelineShow,
      { pipeline: 'slow' },
      await contextFor(ws.root),
    );
    expect(shown.stages.map((stage) => stage.last_status)).toEqual(['cancelled', undefined]);
    expect(existsSync(join(ws.root, 'partial.txt'))).toBe(false);
    expect(existsSync(join(ws.root, 'after.txt'))).toBe(false);
  });
});
