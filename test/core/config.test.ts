import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, redactConfig, scrubSecrets } from '../../tools/core/config.js';
import { agentWorkBranch } from '../../tools/core/context.js';
import { ToolError } from '../../tools/core/errors.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const load = (env: NodeJS.ProcessEnv = {}, profile?: string) =>
  loadConfig({
    cwd: ws.root,
    env,
    userConfigPath: join(ws.root, 'user.yaml'),
    ...(profile ? { profile } : {}),
  });

describe('config resolution', () => {
  it('defaults to the local profile with the embedded engine', async () => {
    ws = makeWorkspace();
    const config = await load();
    expect(config.profile).toBe('local');
    expect(config.query.engine).toBe('duckdb');
    expect(config.query.allow_writes).toBe(false);
    expect(config.root).toBe(ws.root);
    expect(config.s3).toBeUndefined();
  });

  it('finds datastack.yaml from a subfolder and resolves the project root', async () => {
    ws = makeWorkspace({
      'datastack.yaml': 'profiles:\n  local:\n    query: { max_rows: 7 }\n',
      'data/x/.keep': '',
    });
    const config = await loadConfig({
      cwd: join(ws.root, 'data', 'x'),
      env: {},
      userConfigPath: join(ws.root, 'u.yaml'),
    });
    expect(config.root).toBe(ws.root);
    expect(config.query.max_rows).toBe(7);
  });

  it('layers user config < project config < environment < overrides', async () => {
    ws = makeWorkspace({
      'user.yaml':
        'profiles:\n  stack:\n    s3: { endpoint: "http://user:1", region: eu-west-1 }\n    query: { max_rows: 3 }\n',
      'datastack.yaml': 'profile: stack\nprofiles:\n  stack:\n    s3: { endpoint: "http://project:2" }\n',
    });
    const config = await loadConfig({
      cwd: ws.root,
      env: {
        AWS_ENDPOINT_URL: 'http://env:3',
        AWS_SECRET_ACCESS_KEY: 'secret-from-env',
        MLFLOW_TRACKING_URI: 'http://mlflow:5000',
      },
      userConfigPath: join(ws.root, 'user.yaml'),
      overrides: { 'query.max_rows': 9 },
    });
    expect(config.profile).toBe('stack');
    // A file value wins over the environment: the project pinned it on purpose.
    expect(config.s3?.endpoint).toBe('http://project:2');
    expect(config.s3?.region).toBe('eu-west-1');
    expect(config.s3?.secret_access_key).toBe('secret-from-env');
    expect(config.mlflow?.tracking_uri).toBe('http://mlflow:5000');
    expect(config.query.max_rows).toBe(9);
    expect(config.files).toHaveLength(2);
  });

  it('takes DATASTACK_PROFILE and refuses an unknown profile with the known ones named', async () => {
    ws = makeWorkspace({ 'datastack.yaml': 'profiles:\n  prod: {}\n' });
    expect((await load({ DATASTACK_PROFILE: 'prod' })).profile).toBe('prod');
    const error = await load({}, 'nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).code).toBe('config');
    expect((error as ToolError).hint).toContain('local, prod');
  });

  it('reports a wrong value with its path', async () => {
    ws = makeWorkspace({ 'datastack.yaml': 'profiles:\n  local:\n    query: { max_rows: -1 }\n' });
    const error = (await load().catch((e: unknown) => e)) as ToolError;
    expect(error.code).toBe('config');
    expect(error.message).toContain('query.max_rows');
  });

  it('reports broken YAML without a stack trace', async () => {
    ws = makeWorkspace({ 'datastack.yaml': 'profiles: [unclosed\n' });
    const error = (await load().catch((e: unknown) => e)) as ToolError;
    expect(error.code).toBe('config');
    expect(error.message).toContain('datastack.yaml');
  });

  it('redacts and scrubs secrets', async () => {
    ws = makeWorkspace();
    const config = await load({
      ANTHROPIC_API_KEY: 'sk-ant-very-secret',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-9',
    });
    expect(config.secrets).toEqual(expect.arrayContaining(['sk-ant-very-secret', 'aws-secret-9']));
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain('sk-ant-very-secret');
    expect(shown).not.toContain('aws-secret-9');
    expect(shown).toContain('"api_key":"***"');
    expect(scrubSecrets('key=sk-ant-very-secret;', config.secrets)).toBe('key=***;');
  });
});

describe('the agent working branch', () => {
  it('exists only when the profile has Nessie, named by the configured prefix', async () => {
    ws = makeWorkspace({
      'datastack.yaml':
        'profiles:\n  lake:\n    nessie: { url: "http://127.0.0.1:1/api/v2", agent_branch_prefix: "bot/" }\n',
    });
    expect(agentWorkBranch(await load(), '20261204-1')).toBeUndefined();
    expect(agentWorkBranch(await load({}, 'lake'), '20261204-1')).toBe('bot/20261204-1');
  });
});
