/**
 * A notebook stage runs headless through the notebook toolset's runner (real nbclient, the
 * stack's notebook venv): a notebook that writes its output succeeds, one whose cell raises
 * fails the stage with the cell's error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineRun } from '../../tools/pipeline/run-pipeline.js';
import { call, callError } from '../helpers/call.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const notebook = (code: string) =>
  JSON.stringify({
    cells: [{ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: code }],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });

describe('notebook stages', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = makeWorkspace({
      'nb/good.ipynb': notebook("open('../out/summary.txt', 'w').write('rows: 3')"),
      'nb/bad.ipynb': notebook("raise ValueError('the notebook broke')"),
      'pipelines/good.yaml':
        'name: good\nstages:\n  - name: summary\n    kind: notebook\n    script: nb/good.ipynb\n    outputs: [out/summary.txt]\n',
      'pipelines/bad.yaml':
        'name: bad\nstages:\n  - name: broken\n    kind: notebook\n    script: nb/bad.ipynb\n    outputs: [out/never.txt]\n',
    });
  });
  afterAll(() => ws?.cleanup());

  it('executes the notebook and keeps what it writes', async () => {
    const out = await call<{ status: string }>(pipelineRun, { pipeline: 'good' }, await contextFor(ws.root));
    expect(out.status).toBe('succeeded');
    expect(readFileSync(join(ws.root, 'out/summary.txt'), 'utf8')).toBe('rows: 3');
  }, 600_000);

  it("fails the stage on a failing cell, with the cell's error", async () => {
    const error = await callError(pipelineRun, { pipeline: 'bad' }, await contextFor(ws.root));
    expect(error.message).toContain('Stage broken failed');
    expect(error.message).toContain('the notebook broke');
    expect(existsSync(join(ws.root, 'out/never.txt'))).toBe(false);
  }, 600_000);
});
