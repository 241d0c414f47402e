/**
 * The built `datastack` bin as a user runs it (build first: `npm run build`): the real registry,
 * the real manifest, config files and environment variables, a real HTTP server for doctor.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../tools/index.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

describe('start-up commands', () => {
  it('prints the version', async () => {
    const result = await runCli(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('tools list --json lists every registered tool with its annotations', async () => {
    const result = await runCli(['tools', 'list', '--json']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<{
      name: string;
      toolset: string;
      annotations: unknown;
    }>;
    expect(listed.map((t) => t.name).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    for (const tool of ALL_TOOLS) {
      expect(listed.find((t) => t.name === tool.name)).toMatchObject({
        toolset: tool.toolset,
        annotations: tool.annotations,
      });
    }
  });

  it('answers an unknown command with exit 2, one error line and a suggestion, no stack', async () => {
    const result = await runCli(['qurey', 'sql']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: unknown command 'qurey'\nhint: Did you mean query? See `datastack --help`\n",
    );
    expect(result.stdout).toBe('');
  });
});

describe('query tools through the CLI', () => {
  it('lists datasets and runs SQL on a real file', async () => {
    ws = makeWorkspace({ 'data/sales.csv': 'region,amount\nnorth,10\nsouth,32\n' });
    const list = await runCli(['query', 'ls', '--json'], { cwd: ws.root });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({
      total: 1,
      datasets: [{ path: 'data/sales.csv', format: 'csv' }],
    });
    const sql = await runCli(['--json', 'sql', "select sum(amount) as total from 'data/sales.csv'"], {
      cwd: ws.root,
    });
    expect(sql.code).toBe(0);
    expect((JSON.parse(sql.stdout) as { rows: unknown[] }).rows).toEqual([{ total: 42 }]);
  });

  it('reports a missing file as a tool error, exit 1', async () => {
    ws = makeWorkspace();
    const result = await runCli(['sql', "select * from 'nope.csv'"], { cwd: ws.root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*nope\.csv.*\nhint: /);
  });

  it("profile --dataset, in the concept's wording, profiles a file", async () => {
    ws = makeWorkspace({ 'sales.csv': 'region,amount\nnorth,10\nsouth,32\nsouth,\n' });
    const result = await runCli(['--json', 'profile', '--dataset', 'sales.csv'], { cwd: ws.root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"amount"');
    const human = await runCli(['profile', 'sales.csv'], { cwd: ws.root });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('region');
  });

  it('query clear-results needs --yes without a terminal; with it the files go', async () => {
    ws = makeWorkspace({ '.datastack/results/old.csv': 'a\n1\n' });
    const saved = join(ws.root, '.datastack/results/old.csv');
    const refused = await runCli(['query', 'clear-results'], { cwd: ws.root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('hint: Pass --yes');
    expect(existsSync(saved)).toBe(true);
    const done = await runCli(['query', 'clear-results', '--yes', '--json'], { cwd: ws.root });
    expect(done.code).toBe(0);
    expect(existsSync(saved)).toBe(false);
  });
});

describe('config', () => {
  it('config show redacts secrets from the environment and from files', async () => {
    ws = makeWorkspace({
      'datastack.yaml':
        'profiles:\n  local:\n    redmine:\n      url: http://redmine.test\n      api_key: rm-secret-987654\n',
    });
    const env = { ANTHROPIC_API_KEY: 'sk-test-123456', AWS_SECRET_ACCESS_KEY: 'aws-secret-555555' };
    const human = await runCli(['config', 'show'], { cwd: ws.root, env });
    const json = await runCli(['config', 'show', '--json'], { cwd: ws.root, env });
    for (const result of [human, json]) {
      expect(result.code).toBe(0);
      for (const secret of ['sk-test-123456', 'aws-secret-555555', 'rm-secret-987654'])
        expect(result.stdout).not.toContain(secret);
    }
    const config = JSON.parse(json.stdout) as unknown;
    expect(config).toMatchObject({
      profile: 'local',
      files: [join(ws.root, 'datastack.yaml')],
      // A secret-looking name that is not a secret stays readable.
      anthropic: { api_key: '***', max_tokens: 8192 },
      s3: { secret_access_key: '***' },
      redmine: { url: 'http://redmine.test', api_key: '***' },
    });
    expect(human.stdout).toContain('api_key: "***"');
  });

  it('config path says where the project and user files are', async () => {
    ws = makeWorkspace();
    const result = await runCli(['config', 'path', '--json'], {
      cwd: ws.root,
      env: { XDG_CONFIG_HOME: join(ws.root, 'xdg') },
    });
    expect(JSON.parse(result.stdout)).toEqual({
      root: ws.root,
      files: [
        { scope: 'project', path: join(ws.root, 'datastack.yaml'), exists: true },
        { scope: 'user', path: join(ws.root, 'xdg', 'datastack', 'config.yaml'), exists: false },
      ],
    });
  });

  it('an unknown profile is a clear error', async () => {
    ws = makeWorkspace();
    const result = await runCli(['--profile', 'prod', 'config', 'show'], { cwd: ws.root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Unknown profile "prod"\nhint: Known profiles: local/);
  });
});

describe('doctor', () => {
  let up: Server;
  let upUrl: string;
  let downUrl: string;
  beforeAll(async () => {
    up = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => up.listen(0, '127.0.0.1', resolve));
    upUrl = `http://127.0.0.1:${(up.address() as AddressInfo).port}`;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    downUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
  });
  afterAll(() => new Promise((resolve) => up.close(resolve)));

  it('reports a configured service that is down, with a hint, and exits 1', async () => {
    ws = makeWorkspace({ 'datastack.yaml': `profiles:\n  local:\n    nessie:\n      url: ${downUrl}\n` });
    const json = await runCli(['doctor', '--json'], { cwd: ws.root, env: { MLFLOW_TRACKING_URI: upUrl } });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; checks: Array<Record<string, string>> };
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    expect(report.ok).toBe(false);
    expect(byId.get('nessie')).toMatchObject({
      status: 'fail',
      detail: `${downUrl}/ refused the connection`,
    });
    expect(byId.get('nessie')?.hint).toContain('`datastack stack status`');
    expect(byId.get('nessie')?.hint).toContain('nessie.url in datastack.yaml');
    expect(byId.get('mlflow')).toMatchObject({ status: 'ok', detail: `${upUrl}/ answers (HTTP 404)` });
    expect(byId.get('duckdb')?.status).toBe('ok');
    expect(byId.get('anthropic')).toMatchObject({ status: 'warn' });
    expect(byId.get('anthropic')?.hint).toContain('datastack mcp');

    const human = await runCli(['doctor'], { cwd: ws.root });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(
      /✗ Nessie +http:\/\/127\.0\.0\.1:\d+\/ refused the connection\n +hint: Is Nessie running\?/,
    );
    expect(human.stdout).toContain('1 problem(s): nessie');
  });

  it('passes with nothing configured, the missing API key only a warning', async () => {
    ws = makeWorkspace();
    const result = await runCli(['doctor', '--json'], { cwd: ws.root });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      checks: Array<{ id: string; status: string }>;
    };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['config', 'ok'],
      ['node', 'ok'],
      ['workspace', 'ok'],
      ['duckdb', 'ok'],
      ['anthropic', 'warn'],
    ]);
    const withKey = await runCli(['doctor'], { cwd: ws.root, env: { ANTHROPIC_API_KEY: 'sk-test-123456' } });
    expect(withKey.code).toBe(0);
    expect(withKey.stdout).toMatch(/✓ Anthropic API +API key set/);
    expect(withKey.stdout).not.toContain('sk-test-123456');
  });
});

describe('agent faces are wired', () => {
  it('ask without an API key exits non-zero and names the alternatives', async () => {
    ws = makeWorkspace();
    const result = await runCli(['ask', 'hello'], { cwd: ws.root });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('datastack mcp');
  });

  it('mcp --help shows its flags and defaults', async () => {
    const result = await runCli(['mcp', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--port <n> +HTTP port \(default: 3333\)/);
    expect(result.stdout).toMatch(/--host <host> +HTTP address to bind \(default: "127\.0\.0\.1"\)/);
  });
});
