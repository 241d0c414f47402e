/** Bad pipeline files: each problem is reported with its line and what to do. */
import { afterEach, describe, expect, it } from 'vitest';
import { pipelineShow } from '../../tools/pipeline/show-pipeline.js';
import { pipelineCreate } from '../../tools/pipeline/create-pipeline.js';
import { call, callError } from '../helpers/call.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const HEADER = 'name: p\nstages:\n';

describe('pipeline file validation', () => {
  let ws: TempWorkspace | undefined;
  afterEach(() => ws?.cleanup());

  async function errorFor(yaml: string, files: Record<string, string> = {}) {
    ws = makeWorkspace({ 'pipelines/p.yaml': yaml, ...files });
    return callError(pipelineShow, { pipeline: 'p' }, await contextFor(ws.root));
  }

  it('names the line of an unknown kind', async () => {
    const error = await errorFor(
      `${HEADER}  - name: a\n    kind: command\n    command: "true"\n  - name: b\n    kind: bash\n    command: "true"\n`,
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('pipelines/p.yaml:7: stages.1.kind');
    expect(error.hint).toContain('python, command, notebook, spark, embulk');
  });

  it('names an input that no earlier stage writes and no file provides', async () => {
    const error = await errorFor(
      `${HEADER}  - name: a\n    kind: command\n    command: "true"\n    inputs:\n      - data/missing.csv\n`,
    );
    expect(error.message).toContain(
      'pipelines/p.yaml:7: stage "a" reads data/missing.csv: no earlier stage writes it',
    );
  });

  it('accepts an input an earlier stage writes, or a file of the project', async () => {
    ws = makeWorkspace({
      'data/in.csv': 'a\n1\n',
      'pipelines/p.yaml': `${HEADER}  - name: a\n    kind: command\n    command: "cp data/in.csv out.csv"\n    inputs: [data/in.csv]\n    outputs: [out.csv]\n  - name: b\n    kind: command\n    command: "cat out.csv"\n    inputs: [out.csv]\n`,
    });
    const out = await call<{ stages: Array<{ name: string; needs: string[] }> }>(
      pipelineShow,
      {},
      await contextFor(ws.root),
    );
    expect(out.stages.map((s) => [s.name, s.needs])).toEqual([
      ['a', []],
      ['b', ['a']],
    ]);
  });

  it('reports a cycle of needs', async () => {
    const error = await errorFor(
      `${HEADER}  - name: a\n    kind: command\n    command: "true"\n    needs: [b]\n  - name: b\n    kind: command\n    command: "true"\n    needs: [a]\n`,
    );
    expect(error.message).toMatch(/pipelines\/p\.yaml:6: the needs of a → b form a cycle/);
  });

  it('reports an unknown need, a missing script and a stray field', async () => {
    expect(
      (await errorFor(`${HEADER}  - name: a\n    kind: command\n    command: "true"\n    needs: [zz]\n`))
        .message,
    ).toContain(':6: stage "a" needs "zz", which is not a stage');
    expect(
      (await errorFor(`${HEADER}  - name: a\n    kind: python\n    script: nope.py\n`)).message,
    ).toContain(':5: stage "a": nope.py does not exist');
    expect(
      (await errorFor(`${HEADER}  - name: a\n    kind: command\n    command: "true"\n    cmd: x\n`)).message,
    ).toMatch(/:3: stages\.0: Unrecognized key/);
  });

  it('refuses to overwrite a pipeline without force', async () => {
    ws = makeWorkspace();
    const ctx = await contextFor(ws.root);
    await call(pipelineCreate, { name: 'p' }, ctx);
    expect((await callError(pipelineCreate, { name: 'p' }, ctx)).code).toBe('conflict');
    expect(
      (await call<{ replaced: boolean }>(pipelineCreate, { name: 'p', force: true }, ctx)).replaced,
    ).toBe(true);
  });
});
