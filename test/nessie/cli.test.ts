/**
 * The Nessie commands through the built `datastack` bin (build first: `npm run build`), against
 * the real Nessie that ensureServices starts, with a `datastack.yaml` profile pointing at it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { nessieWorld, NessieRaw, unique, type NessieWorld } from './fixtures.js';

let world: NessieWorld;
let raw: NessieRaw;
const others: TempWorkspace[] = [];

beforeAll(async () => {
  world = await nessieWorld();
  raw = new NessieRaw(world.url);
}, 300_000);
afterAll(() => {
  world?.cleanup();
  for (const ws of others) ws.cleanup();
});

const cli = (args: string[]) => runCli(args, { cwd: world.ws.root });

describe('datastack nessie', () => {
  it('lists references as JSON', async () => {
    const name = `${unique()}-listed`;
    const hash = await raw.createBranch(name);
    const result = await cli(['nessie', 'list-references', '--type', 'branch', '--limit', '1000', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as {
      references: Array<{ name: string; type: string; hash: string }>;
    };
    expect(out.references).toContainEqual({ name, type: 'branch', hash });
    expect(out.references.map((r) => r.name)).toContain('main');
  });

  it('creates a branch, previews a merge, and deletes only with --yes', async () => {
    const ns = unique();
    const branch = `${ns}/cli`;
    const created = await cli(['nessie', 'create-reference', branch, '--json']);
    expect(created.code, created.stderr).toBe(0);
    const { created: ref } = JSON.parse(created.stdout) as { created: { hash: string } };
    expect(await raw.head(branch)).toBe(ref.hash);
    expect(await raw.reachable('main', ref.hash)).toBe(true);

    await raw.commit(branch, { [ns]: 'namespace' });
    const preview = await cli(['nessie', 'merge', branch, '--dry-run', '--json']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(JSON.parse(preview.stdout)).toMatchObject({ status: 'would_merge', changes: [ns] });

    const unasked = await cli(['nessie', 'delete-reference', branch]);
    expect(unasked.code).not.toBe(0);
    expect(unasked.stderr).toContain('--yes');
    expect(await raw.head(branch)).toBeDefined();

    const deleted = await cli(['nessie', 'delete-reference', branch, '--yes', '--json']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(JSON.parse(deleted.stdout)).toMatchObject({ deleted: true, reference: { name: branch } });
    expect(await raw.head(branch)).toBeUndefined();
  });

  it('says what to do when Nessie is down', async () => {
    const port = await closedPort();
    const ws = makeWorkspace({
      'datastack.yaml': `profile: down\nprofiles:\n  down:\n    nessie:\n      url: http://127.0.0.1:${port}/api/v2\n`,
    });
    others.push(ws);
    const result = await runCli(['nessie', 'log'], { cwd: ws.root });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`Nessie at http://127.0.0.1:${port}/api/v2 refused the connection`);
    expect(result.stderr).toContain('datastack stack status');
    expect(result.stdout).toBe('');
  });
});

/** A port that was just free: nothing listens there. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
