/**
 * `datastack stack` end to end, as a user runs it: the built CLI starts real moto and Nessie on
 * ports of this test (not the shared test services'), writes the profile, reports status and
 * logs, serves Iceberg REST, and stops only what it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultCacheDir } from '../../tools/stack/paths.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const PORTS = { s3: 19410, nessie: 19420, nessie_management: 19491 };
const CONFIG = `# Our team's settings: this comment must survive stack up.
profile: local
profiles:
  local:
    stack:
      ports: { s3: ${PORTS.s3}, nessie: ${PORTS.nessie}, nessie_management: ${PORTS.nessie_management} }
`;

// The user's cache holds the installs; the CLI helper's clean environment would hide it.
const env = {
  XDG_CACHE_HOME: dirname(defaultCacheDir()),
  ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
};

describe('datastack stack (real services)', () => {
  let ws: TempWorkspace;
  let up: CliResult;
  const cli = (args: string[], timeoutMs = 60_000) => runCli(args, { cwd: ws.root, env, timeoutMs });

  beforeAll(async () => {
    ws = makeWorkspace({ 'datastack.yaml': CONFIG });
    up = await cli(['--json', 'stack', 'up'], 900_000);
  }, 900_000);

  afterAll(async () => {
    await cli(['stack', 'down', '--yes']);
    ws.cleanup();
  });

  it('starts s3 and nessie, dependencies first, and serves iceberg from nessie', () => {
    expect(up.stderr).not.toMatch(/^error/m);
    expect(up.code).toBe(0);
    const out = JSON.parse(up.stdout) as {
      services: Array<{ name: string; state: string; pid?: number; url: string }>;
    };
    expect(out.services.map((s) => s.name)).toEqual(['s3', 'nessie', 'iceberg']);
    expect(out.services.every((s) => s.state === 'started' || s.state === 'running')).toBe(true);
    expect(out.services[2]?.pid).toBe(out.services[1]?.pid);
    expect(out.services[1]?.url).toBe(`http://127.0.0.1:${PORTS.nessie}/api/v2`);
  });

  it('reports healthy services with versions, and a second up finds them running', async () => {
    const status = await cli(['--json', 'stack', 'status']);
    const rows = (JSON.parse(status.stdout) as { services: Array<Record<string, unknown>> }).services;
    for (const row of rows) expect(row).toMatchObject({ state: 'running', healthy: true });
    expect(rows.find((r) => r.name === 's3')?.version).toMatch(/^moto \d+\.\d+/);
    expect(rows.find((r) => r.name === 'nessie')?.version).toMatch(/^Nessie \d+\.\d+\.\d+/);
    const again = JSON.parse((await cli(['--json', 'stack', 'up', 's3'])).stdout) as {
      services: Array<{ state: string }>;
    };
    expect(again.services.map((s) => s.state)).toEqual(['running']);
  });

  it('writes the stack profile, keeps the file comments, and config show reflects it', async () => {
    const text = readFileSync(`${ws.root}/datastack.yaml`, 'utf8');
    expect(text).toContain("# Our team's settings: this comment must survive stack up.");
    const file = parse(text) as {
      profile: string;
      profiles: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(file.profile).toBe('local');
    expect(file.profiles.stack?.nessie?.url).toBe(`http://127.0.0.1:${PORTS.nessie}/api/v2`);
    const shown = await cli(['--json', '--profile', 'stack', 'config', 'show']);
    expect(shown.code).toBe(0);
    const config = JSON.parse(shown.stdout) as Record<string, Record<string, unknown>>;
    expect(config.s3).toMatchObject({ endpoint: `http://127.0.0.1:${PORTS.s3}`, force_path_style: true });
    expect(config.iceberg).toMatchObject({
      url: `http://127.0.0.1:${PORTS.nessie}/iceberg`,
      warehouse: 'warehouse',
    });
  });

  it('serves the Iceberg REST catalog with its warehouse on the s3 service', async () => {
    const base = `http://127.0.0.1:${PORTS.nessie}/iceberg`;
    const config = (await (await fetch(`${base}/v1/config?warehouse=warehouse`)).json()) as {
      defaults: { prefix: string };
    };
    const prefix = config.defaults.prefix;
    const post = (path: string, body: unknown) =>
      fetch(`${base}/v1/${prefix}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('namespaces', { namespace: ['stack_test'], properties: {} })).status).toBe(200);
    const table = await post('namespaces/stack_test/tables', {
      name: 'points',
      // Nessie 0.99 insists on stage-create, which the spec makes optional.
      'stage-create': false,
      schema: {
        type: 'struct',
        'schema-id': 0,
        fields: [{ id: 1, name: 'x', required: false, type: 'long' }],
      },
    });
    expect(table.status).toBe(200);
    const location = ((await table.json()) as { 'metadata-location': string })['metadata-location'];
    expect(location).toMatch(/^s3:\/\/warehouse\/stack_test\/points/);
    const listing = await (
      await fetch(`http://127.0.0.1:${PORTS.s3}/warehouse?list-type=2&prefix=stack_test/`)
    ).text();
    expect(listing).toContain(location.replace('s3://warehouse/', ''));
  });

  it('shows the last lines of a log', async () => {
    const logs = await cli(['--json', 'stack', 'logs', 'nessie', '--lines', '200']);
    const out = JSON.parse(logs.stdout) as { text: string; line_count: number };
    expect(out.line_count).toBeGreaterThan(0);
    expect(out.text).toMatch(/Nessie .* started in/);
  });

  it('refuses a port that something else holds, naming the port and the config key', async () => {
    const other = makeWorkspace({
      'datastack.yaml': `profiles:\n  local:\n    stack:\n      ports: { s3: ${PORTS.s3} }\n`,
    });
    try {
      const clash = await runCli(['stack', 'up', 's3'], { cwd: other.root, env });
      expect(clash.code).not.toBe(0);
      expect(clash.stderr).toContain(`Port ${PORTS.s3} for s3 is in use`);
      expect(clash.stderr).toContain('profiles.local.stack.ports.s3');
    } finally {
      other.cleanup();
    }
  });

  it('stops only its own processes; an unrelated server survives', async () => {
    const bystander = await startBystander();
    try {
      const down = await cli(['--json', 'stack', 'down', '--yes']);
      const rows = (JSON.parse(down.stdout) as { services: Array<{ name: string; state: string }> }).services;
      expect(rows.map((r) => `${r.name}:${r.state}`)).toEqual([
        'iceberg:hosted',
        'nessie:stopped',
        's3:stopped',
      ]);
      expect(bystander.exitCode).toBeNull();
      expect((await fetch(`http://127.0.0.1:${bystander.port}/`)).status).toBe(200);
      const status = JSON.parse((await cli(['--json', 'stack', 'status'])).stdout) as {
        services: Array<{ state: string }>;
      };
      expect(status.services.every((s) => s.state === 'stopped')).toBe(true);
    } finally {
      bystander.kill();
    }
  });
});

/** A plain HTTP server in its own process, on a free port: something `stack down` must not touch. */
function startBystander(): Promise<ChildProcess & { port: number }> {
  const child = spawn(process.execPath, [
    '-e',
    "const s=require('http').createServer((q,r)=>r.end('ok')).listen(0,'127.0.0.1',()=>console.log(s.address().port))",
  ]);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) =>
      resolve(Object.assign(child, { port: Number(chunk.toString().trim()) })),
    );
  });
}
