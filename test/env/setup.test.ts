/**
 * `env setup` beyond the happy path the template tests cover: a failed install leaves the project
 * exactly as it was (no .venv, or the old one untouched), plain venv + pip builds an environment
 * whose scripts work after the move into place, and conda's absence is said plainly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSetup } from '../../tools/env/setup-env.js';
import type { ProgressUpdate, ToolContext } from '../../tools/core/types.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, callError, INSTALL_TIMEOUT, projectPython } from '../project/fixtures.js';

const PYPROJECT = (deps: string[]) =>
  `[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = [${deps.map((d) => `"${d}"`).join(', ')}]\n`;

describe('env setup', () => {
  let ws: TempWorkspace;
  let ctx: ToolContext;
  const envLeftovers = (dir: string) => readdirSync(join(ws.root, dir)).filter((n) => n.startsWith('.venv.'));

  beforeAll(async () => {
    ws = makeWorkspace({
      'good/pyproject.toml': PYPROJECT(['pyyaml==6.0.4']),
      'good/src/demo/__init__.py': 'VALUE = 42\n',
      'plain/requirements.txt': '# one package\npyyaml==6.0.4\n',
    });
    ctx = await contextFor(ws.root);
  });
  afterAll(() => ws.cleanup());

  it(
    'builds with uv, puts src/ on the path, records the setup, and replaces an older environment',
    async () => {
      const updates: ProgressUpdate[] = [];
      const watched = await contextFor(ws.root, { progress: (update) => updates.push(update) });
      const first = await call<{ manager: string; replaced_existing: boolean; requirements_source: string }>(
        envSetup,
        { project: 'good', gpu: true },
        watched,
      );
      // uv's "Resolved N packages" sets the total; each "+ package" line is a step.
      expect(updates.some((u) => u.message?.startsWith('installed pyyaml==6.0.4') && u.total === 1)).toBe(
        true,
      );
      expect(updates.at(-1)).toMatchObject({ done: 1, total: 1, message: 'environment ready' });
      expect(first).toMatchObject({
        manager: 'uv',
        replaced_existing: false,
        requirements_source: 'pyproject.toml',
      });
      const dir = join(ws.root, 'good');
      const run = projectPython(dir, ['-c', 'import yaml, demo; print(demo.VALUE, yaml.__version__)']);
      expect(run.output.trim()).toBe('42 6.0.4');
      const record = JSON.parse(readFileSync(join(dir, '.venv', 'datastack-env.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(record).toMatchObject({ manager: 'uv', gpu: true });
      const again = await call<{ replaced_existing: boolean }>(
        envSetup,
        { project: 'good', auto: true },
        ctx,
      );
      expect(again.replaced_existing).toBe(true);
      expect(envLeftovers('good')).toEqual([]);
    },
    INSTALL_TIMEOUT,
  );

  it(
    'leaves the project as it was when an install fails',
    async () => {
      const dir = join(ws.root, 'good');
      const marker = join(dir, '.venv', 'still-here');
      writeFileSync(marker, 'old environment');
      writeFileSync(
        join(dir, 'pyproject.toml'),
        PYPROJECT(['pyyaml==6.0.4', 'datastack-no-such-package-xyz==1.0']),
      );
      const error = await callError(envSetup, { project: 'good' }, ctx);
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain('datastack-no-such-package-xyz');
      expect(readFileSync(marker, 'utf8')).toBe('old environment');
      expect(envLeftovers('good')).toEqual([]);

      const fresh = makeWorkspace({ 'requirements.txt': 'datastack-no-such-package-xyz==1.0\n' });
      try {
        await callError(envSetup, {}, await contextFor(fresh.root));
        expect(readdirSync(fresh.root).sort()).toEqual(['datastack.yaml', 'requirements.txt']);
      } finally {
        fresh.cleanup();
      }
    },
    INSTALL_TIMEOUT,
  );

  it(
    'builds with plain venv + pip from requirements.txt, with scripts that work after the move',
    async () => {
      const result = await call<{ manager: string; requirements: string[] }>(
        envSetup,
        { project: 'plain', manager: 'venv' },
        ctx,
      );
      expect(result).toMatchObject({ manager: 'venv', requirements: ['pyyaml==6.0.4'] });
      const dir = join(ws.root, 'plain');
      const pip = readFileSync(join(dir, '.venv', 'bin', 'pip'), 'utf8');
      expect(pip.split('\n')[0]).toMatch(new RegExp(`^#!${join(dir, '.venv', 'bin', 'python')}(3[.0-9]*)?$`));
      const script = spawnSync(join(dir, '.venv', 'bin', 'pip'), ['--version'], { encoding: 'utf8' });
      expect(script.status, script.stderr).toBe(0);
      expect(script.stdout).toContain(join(dir, '.venv'));
      expect(readFileSync(join(dir, '.venv', 'bin', 'activate'), 'utf8')).not.toContain('.venv.tmp-');
      const run = projectPython(dir, ['-m', 'pip', 'show', 'pyyaml']);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain('Version: 6.0.4');
      expect(envLeftovers('plain')).toEqual([]);
    },
    INSTALL_TIMEOUT,
  );

  it('says clearly when conda is not installed, or the Python version is missing', async () => {
    const conda = await callError(envSetup, { project: 'plain', manager: 'conda' }, { ...ctx });
    expect(conda.code).toBe('config');
    expect(conda.message).toContain('conda was not found');
    expect(conda.hint).toContain('--manager uv');
    const python = await callError(envSetup, { project: 'plain', python: '3.99' }, ctx);
    expect(python.message).toContain('Python 3.99 was not found');
    expect(existsSync(join(ws.root, 'plain', '.venv', 'bin', 'python'))).toBe(true);
    expect((await callError(envSetup, { project: 'nowhere' }, ctx)).code).toBe('not_found');
  });
});
