/** What goes wrong with Airflow, against the real standalone: bad DAG files, tokens, no server. */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AirflowClient } from '../../tools/airflow/client.js';
import { listDags } from '../../tools/airflow/dags.js';
import { deployDagSource, waitForDagParsed } from '../../tools/airflow/deploy.js';
import { airflowDeployDag } from '../../tools/airflow/deploy-dag.js';
import { airflowImportErrors } from '../../tools/airflow/import-errors.js';
import { airflowListDags } from '../../tools/airflow/list-dags.js';
import { airflowTrigger } from '../../tools/airflow/trigger-dag.js';
import { loadConfig } from '../../tools/core/config.js';
import type { ToolError } from '../../tools/core/errors.js';
import { stackStateDir } from '../../tools/stack/paths.js';
import { airflowHome } from '../../tools/stack/services/airflow.js';
import { call, callError } from '../helpers/call.js';
import { TEST_STACK_ROOT } from '../helpers/services.js';
import { contextFor, makeWorkspace } from '../helpers/workspace.js';
import { airflowWorld, threeTaskDag, uniqueDagId, type AirflowWorld } from './fixtures.js';

let world: AirflowWorld;

beforeAll(async () => {
  world = await airflowWorld();
}, 600_000);
afterAll(() => world?.cleanup());

/** A DAG file Airflow reads (it names `airflow` and `dag`) but cannot import. */
const brokenDag = (dagId: string) =>
  `from airflow.sdk import dag\nimport datastack_missing_module_${dagId}\n\n@dag(dag_id="${dagId}", schedule=None)\ndef build():\n    pass\n\nbuild()\n`;

describe('DAG files that do not parse', () => {
  it("reports Airflow's import error when waiting for the DAG, and through airflow_import_errors", async () => {
    const dagId = uniqueDagId('broken');
    const deployed = deployDagSource(world.client, `${dagId}.py`, brokenDag(dagId));
    const error = await waitForDagParsed(world.client, dagId, {
      since: deployed.deployedAt,
      relativePath: deployed.relativePath,
      timeoutMs: 120_000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_input' });
    expect(String((error as Error).message)).toContain(
      `ModuleNotFoundError: No module named 'datastack_missing_module_${dagId}'`,
    );

    const ctx = await world.context();
    const listed = await call<{ errors: Array<{ file: string; error: string }> }>(
      airflowImportErrors,
      { file: `${dagId}.py` },
      ctx,
    );
    expect(listed.errors.map((e) => e.file)).toEqual([`${dagId}.py`]);
    expect(listed.errors[0]?.error).toContain('ModuleNotFoundError');
  });

  it('airflow_deploy_dag copies a workspace file, waits for its parse, and fails with the import error of a broken one', async () => {
    const ctx = await world.context();
    const good = uniqueDagId('deployed');
    world.workspace.write(`dags/${good}.py`, threeTaskDag(good));
    const done = await call<{ dag_id: string; tasks: number; path: string }>(
      airflowDeployDag,
      { file: `dags/${good}.py` },
      ctx,
    );
    expect(done).toMatchObject({ dag_id: good, tasks: 4, path: `${world.airflow.dags_folder}/${good}.py` });

    const bad = uniqueDagId('deploy_broken');
    world.workspace.write(`dags/${bad}.py`, brokenDag(bad));
    const error = await callError(airflowDeployDag, { file: `dags/${bad}.py` }, ctx);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('ModuleNotFoundError');
    expect(error.hint).toContain('import-errors');
  });
});

describe('tokens', () => {
  it('renews an expired token (401) by logging in again, once', async () => {
    const client = new AirflowClient({ ...world.airflow, token: expiredToken() });
    const { dags } = await listDags(client, { limit: 1 });
    expect(Array.isArray(dags)).toBe(true);
    // Without credentials the same token is refused with a hint instead.
    const bare = new AirflowClient({ url: world.airflow.url, token: expiredToken() });
    const refused = (await listDags(bare, { limit: 1 }).catch((e: unknown) => e)) as ToolError;
    expect(refused.code).toBe('unauthorized');
    expect(refused.message).toContain('Token Expired');
    expect(refused.hint).toContain('expired');
  });

  it('renews a token Airflow cannot verify (403 Invalid JWT token, e.g. after its secret changed)', async () => {
    const client = new AirflowClient({ ...world.airflow, token: 'not-a-valid-jwt' });
    expect((await listDags(client, { limit: 1 })).total).toBeGreaterThan(0);
    client.forgetToken('eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl');
    expect((await listDags(client, { limit: 1 })).total).toBeGreaterThan(0);
  });

  it('says what to set when the token is refused and there is no password to renew it with', async () => {
    const root = makeWorkspace({
      'datastack.yaml': `profile: x\nprofiles:\n  x:\n    airflow:\n      url: ${world.airflow.url}\n      token: expired-token\n`,
    });
    try {
      const error = await callError(airflowListDags, {}, await contextFor(root.root));
      expect(error.code).toBe('unauthorized');
      expect(error.hint).toContain('AIRFLOW_PASSWORD');
    } finally {
      root.cleanup();
    }
  });

  it('refuses a wrong password with a hint, and never shows the password', async () => {
    const ws = makeWorkspace({ 'datastack.yaml': 'profile: local\n' });
    try {
      const env = {
        AIRFLOW_URL: world.airflow.url,
        AIRFLOW_USERNAME: 'admin',
        AIRFLOW_PASSWORD: 'wrong-password-123',
      };
      const config = await loadConfig({ cwd: ws.root, env, userConfigPath: `${ws.root}/none.yaml` });
      const error = await callError(
        airflowTrigger,
        { dag_id: 'anything' },
        await contextFor(ws.root, { config }),
      );
      expect(error.code).toBe('unauthorized');
      expect(error.message).toContain('refused the login of "admin"');
      expect(error.message).not.toContain('wrong-password-123');
    } finally {
      ws.cleanup();
    }
  });
});

describe('no Airflow', () => {
  it('says the server refused the connection and how to start one', async () => {
    const port = await freePort();
    const ws = makeWorkspace({
      'datastack.yaml': `profile: x\nprofiles:\n  x:\n    airflow:\n      url: http://127.0.0.1:${port}\n      username: admin\n      password: pw-1234\n`,
    });
    try {
      const error = await callError(airflowListDags, {}, await contextFor(ws.root));
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain(`Airflow at http://127.0.0.1:${port} refused the connection`);
      expect(error.hint).toContain('datastack stack up airflow');
    } finally {
      ws.cleanup();
    }
  });

  it('says how to configure one when the profile has none', async () => {
    const ws = makeWorkspace();
    try {
      const error = await callError(airflowListDags, {}, await contextFor(ws.root));
      expect(error.code).toBe('config');
      expect(error.hint).toContain('AIRFLOW_URL');
    } finally {
      ws.cleanup();
    }
  });
});

/**
 * A token the server would accept but for its age: signed (HS512) with the test Airflow's own
 * jwt_secret from its airflow.cfg, expired an hour ago.
 */
function expiredToken(): string {
  const cfg = readFileSync(join(airflowHome(stackStateDir(TEST_STACK_ROOT)), 'airflow.cfg'), 'utf8');
  const secret = /^jwt_secret = (.+)$/m.exec(cfg)?.[1];
  if (!secret) throw new Error('no jwt_secret in the test airflow.cfg');
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = encode({ alg: 'HS512', typ: 'JWT', kid: 'not-used' });
  const body = encode({
    sub: 'admin',
    role: 'admin',
    teams: [],
    aud: 'apache-airflow',
    iat: now - 7200,
    nbf: now - 7200,
    exp: now - 3600,
  });
  const signature = createHmac('sha512', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
