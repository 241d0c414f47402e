/**
 * Provenance read from real files and a real git repository: DVC pointers (.dvc files with and
 * without lake metadata, dvc.lock stage outputs), the environment lock hash, git's commit, branch
 * and dirty flag, and the tags made of them. Also the config overrides the run records.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterEach, describe, expect, it } from 'vitest';
import { applyOverrides, experimentName, flattenParams } from '../../tools/experiment/experiment-config.js';
import { dataVersions, envLockHash, gitFacts, provenanceTags, recordedData } from '../../tools/experiment/provenance.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

// A letter in each: an all-digit md5 would read as a YAML number (DVC quotes those).
const MD5 = (n: number) => `${'ab'.repeat(4)}${String(n).repeat(24)}`;

describe('provenance', () => {
  let ws: TempWorkspace | undefined;
  afterEach(() => ws?.cleanup());

  it('reads every DVC output, with the Nessie reference in either meta spelling', async () => {
    ws = makeWorkspace({
      'data/raw/plain.csv.dvc': `outs:\n- md5: ${MD5(1)}\n  size: 10\n  hash: md5\n  path: plain.csv\n`,
      'data/lake/orders.parquet.dvc': `outs:\n- md5: ${MD5(2)}\n  path: orders.parquet\nmeta:\n  nessie_ref: main\n  nessie_hash: abc123\n`,
      'data/lake/customers.dvc': `outs:\n- md5: ${MD5(3)}.dir\n  path: customers\nmeta:\n  datastack:\n    nessie:\n      ref: dev\n      hash: def456\n`,
      'dvc.lock': `schema: '2.0'\nstages:\n  features:\n    cmd: python f.py\n    outs:\n    - path: data/processed/features.parquet\n      md5: ${MD5(4)}\n`,
      '.venv/lib/ignored.dvc': `outs:\n- md5: ${MD5(5)}\n  path: nope\n`,
    });
    const versions = await dataVersions(ws.root);
    expect(versions.map(({ path, md5 }) => [path, md5])).toEqual([
      ['data/lake/customers', `${MD5(3)}.dir`],
      ['data/lake/orders.parquet', MD5(2)],
      ['data/processed/features.parquet', MD5(4)],
      ['data/raw/plain.csv', MD5(1)],
    ]);
    expect(versions[0]?.nessie).toEqual({ ref: 'dev', hash: 'def456' });
    expect(versions[1]?.nessie).toEqual({ ref: 'main', hash: 'abc123' });
    expect(versions[2]?.source).toBe('dvc.lock');

    const tags = provenanceTags({
      git: { commit: 'c'.repeat(40), dirty: false, branch: 'main', changed: [] },
      data: versions,
      envLock: 'e'.repeat(64),
      version: '0.1.0',
      config: 'configs/experiment.yaml',
      overrides: ['seed=1'],
      command: 'datastack experiment run',
    });
    expect(tags).toMatchObject({
      'mlflow.source.git.commit': 'c'.repeat(40),
      'datastack.git.dirty': 'false',
      'datastack.git.branch': 'main',
      'datastack.data.data/raw/plain.csv': MD5(1),
      'datastack.nessie.ref': 'dev',
      'datastack.nessie.hash': 'def456',
      'datastack.env.lock': 'e'.repeat(64),
      'datastack.overrides': '["seed=1"]',
    });
    expect(Object.keys(recordedData(tags))).toHaveLength(4);
    expect(await dataVersions(makeWorkspace().root)).toEqual([]);
  });

  it('hashes the pins of a lock, not its dated header', () => {
    ws = makeWorkspace();
    const a = ws.write('a.lock', '# Locked on 2026-01-01\nnumpy==2.4.6\npandas==3.1.1\n');
    const b = ws.write('b.lock', '# Locked on 2026-02-02: another day\nnumpy==2.4.6\npandas==3.1.1\n');
    const c = ws.write('c.lock', '# Locked on 2026-01-01\nnumpy==2.4.5\npandas==3.1.1\n');
    expect(envLockHash(a)).toBe(envLockHash(b));
    expect(envLockHash(a)).not.toBe(envLockHash(c));
    expect(envLockHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads commit, branch and the dirty flag from git; untracked files do not make a tree dirty', async () => {
    ws = makeWorkspace({ 'train.py': 'print(1)\n' });
    expect(await gitFacts(ws.root)).toBeUndefined();
    const git = simpleGit({ baseDir: ws.root, config: ['user.name=T', 'user.email=t@localhost'] });
    await git.init(['--initial-branch=feature']);
    await git.add('.');
    await git.commit('first', undefined, { '--no-gpg-sign': null });
    const head = (await git.revparse(['HEAD'])).trim();
    ws.write('notes.txt', 'untracked');
    expect(await gitFacts(ws.root)).toEqual({ commit: head, dirty: false, branch: 'feature', changed: [] });
    writeFileSync(join(ws.root, 'train.py'), 'print(2)\n');
    expect(await gitFacts(ws.root)).toMatchObject({ commit: head, dirty: true, changed: ['train.py'] });
  });

  it('applies --set overrides to a copy, typed as YAML, and flattens params', async () => {
    const config = { name: 'baseline', model: { type: 'logistic_regression', params: {} }, data: { features: ['a', 'b'] } };
    const changed = await applyOverrides(config, ['model.params.C=0.5', 'model.type=random_forest', 'data.balanced=true', 'tag=']);
    expect(config.model.type).toBe('logistic_regression');
    expect(changed).toEqual({
      name: 'baseline',
      model: { type: 'random_forest', params: { C: 0.5 } },
      data: { features: ['a', 'b'], balanced: true },
      tag: '',
    });
    expect(flattenParams(changed)).toEqual({
      name: 'baseline',
      'model.type': 'random_forest',
      'model.params.C': '0.5',
      'data.features': '["a","b"]',
      'data.balanced': 'true',
      tag: '',
    });
    await expect(applyOverrides(config, ['name.first=x'])).rejects.toThrow('name is not a mapping');
    await expect(applyOverrides(config, ['=x'])).rejects.toThrow('key.path=value');
    expect(experimentName({ name: 'n', mlflow: { experiment: 'e' } }, undefined)).toBe('e');
    expect(experimentName({ name: 'n', mlflow: { experiment: 'e' } }, 'profile')).toBe('profile');
    expect(experimentName({ name: 'n' }, undefined)).toBe('n');
  });
});
