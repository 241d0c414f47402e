import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import { nessieAssignReference } from '../../tools/nessie/assign-reference.js';
import { nessieCreateReference } from '../../tools/nessie/create-reference.js';
import { nessieDeleteReference } from '../../tools/nessie/delete-reference.js';
import { nessieListReferences } from '../../tools/nessie/list-references.js';
import { nessieLog } from '../../tools/nessie/show-log.js';
import { call, callError, nessieWorld, NessieRaw, unique, type NessieWorld } from './fixtures.js';

type Ref = { name: string; type: string; hash: string };

let world: NessieWorld;
let raw: NessieRaw;

beforeAll(async () => {
  world = await nessieWorld();
  raw = new NessieRaw(world.url);
}, 300_000);
afterAll(() => world?.cleanup());

describe('nessie_create_reference', () => {
  it('creates a branch from main pinned at the hash it read, and a tag', async () => {
    const { ctx } = await world.context();
    const name = `${unique()}/work`;
    const out = await call<{ created: Ref; from: string }>(nessieCreateReference, { name }, ctx);
    expect(out).toMatchObject({ created: { name, type: 'branch' }, from: 'main' });
    expect(await raw.head(name)).toBe(out.created.hash);
    expect(await raw.reachable('main', out.created.hash)).toBe(true);

    // A tag at an older commit of the new branch, given by hash.
    const first = await raw.commit(name, { [`${name.split('/')[0]}`]: 'namespace' });
    await raw.commit(name, { [`${name.split('/')[0]}.t`]: 's3://w/t/1.json' });
    const tag = `${unique()}-v1`;
    const tagged = await call<{ created: Ref }>(
      nessieCreateReference,
      { name: tag, type: 'tag', from: name, from_hash: first },
      ctx,
    );
    expect(tagged.created).toEqual({ name: tag, type: 'tag', hash: first });
    const listed = await call<{ references: Ref[] }>(nessieListReferences, { type: 'tag', limit: 1000 }, ctx);
    expect(listed.references).toContainEqual({ name: tag, type: 'tag', hash: first });
    expect(listed.references.every((r) => r.type === 'tag')).toBe(true);
    expect(outputText(nessieListReferences, listed)).toContain(`tag ${tag} ${first}`);
  });

  it('says a name is taken, and a missing source is not found', async () => {
    const { ctx } = await world.context();
    const taken = await callError(nessieCreateReference, { name: 'main' }, ctx);
    expect(taken.code).toBe('conflict');
    expect(taken.message).toContain("'main' already exists");
    const missing = await callError(nessieCreateReference, { name: unique(), from: `${unique()}-nope` }, ctx);
    expect(missing.code).toBe('not_found');
    expect(missing.hint).toContain('nessie_list_references');
  });
});

describe('nessie_list_references', () => {
  it('pages through branches with a token', async () => {
    const { ctx } = await world.context();
    const prefix = unique();
    for (const n of [1, 2, 3]) await raw.createBranch(`${prefix}-b${n}`);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page: { references: Ref[]; more: boolean; next_page_token?: string } = await call(
        nessieListReferences,
        { type: 'branch', limit: 2, ...(token ? { page_token: token } : {}) },
        ctx,
      );
      expect(page.references.length).toBeLessThanOrEqual(2);
      seen.push(...page.references.map((r) => r.name));
      token = page.more ? page.next_page_token : undefined;
      if (page.more) expect(outputText(nessieListReferences, page)).toContain('page_token');
      pages++;
    } while (token && pages < 1000);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual(expect.arrayContaining(['main', `${prefix}-b1`, `${prefix}-b2`, `${prefix}-b3`]));
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('nessie_delete_reference', () => {
  it('asks first: declined leaves the branch, approved deletes it at the hash shown', async () => {
    const name = `${unique()}-del`;
    const hash = await raw.createBranch(name);

    const declined = await world.context(false);
    const refused = await callError(nessieDeleteReference, { name }, declined.ctx);
    expect(refused.code).toBe('refused');
    expect(declined.asked).toHaveLength(1);
    expect(declined.asked[0]?.summary).toContain(`Delete branch \`${name}\` at ${hash.slice(0, 12)}`);
    expect(await raw.head(name)).toBe(hash);

    const dry = await call<{ deleted: boolean }>(
      nessieDeleteReference,
      { name, dry_run: true },
      declined.ctx,
    );
    expect(dry.deleted).toBe(false);
    expect(declined.asked).toHaveLength(1);
    expect(await raw.head(name)).toBe(hash);

    const approved = await world.context(true);
    const out = await call<{ reference: Ref; deleted: boolean }>(
      nessieDeleteReference,
      { name },
      approved.ctx,
    );
    expect(out).toEqual({ reference: { name, type: 'branch', hash }, deleted: true });
    expect(await raw.head(name)).toBeUndefined();
  });

  it('refuses when the branch moved after the user approved what they saw', async () => {
    const ns = unique();
    const name = `${ns}-moving`;
    const before = await raw.createBranch(name);
    const { ctx } = await contextThatCommitsWhileAsking(name, ns);
    const error = await callError(nessieDeleteReference, { name }, ctx);
    const now = await raw.head(name);
    expect(now).not.toBe(before);
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(`branch \`${name}\` moved since you read it (now at ${now})`);
  });

  it('refuses a stale expected hash and names the current one', async () => {
    const ns = unique();
    const name = `${ns}-stale`;
    const old = await raw.createBranch(name);
    const now = await raw.commit(name, { [ns]: 'namespace' });
    const { ctx } = await world.context(true);
    const error = await callError(nessieDeleteReference, { name, expected_hash: old }, ctx);
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(`branch \`${name}\` moved since you read it (now at ${now})`);
    expect(await raw.head(name)).toBe(now);
  });
});

describe('nessie_assign_reference', () => {
  it('resets a branch to another reference, and refuses a stale expected hash', async () => {
    const ns = unique();
    const name = `${ns}-reset`;
    await raw.createBranch(name);
    const moved = await raw.commit(name, { [ns]: 'namespace' });
    const target = `${ns}-target`;
    const targetHead = await raw.createBranch(target);
    await raw.commit(target, { [`${ns}`]: 'namespace' });
    const targetNow = await raw.commit(target, { [`${ns}.t`]: 's3://w/t.json' });
    const { ctx, asked } = await world.context(true);

    const stale = await callError(
      nessieAssignReference,
      { name, to: target, expected_hash: targetHead },
      ctx,
    );
    expect(stale.code).toBe('conflict');
    expect(stale.message).toBe(`branch \`${name}\` moved since you read it (now at ${moved})`);
    expect(await raw.head(name)).toBe(moved);

    const out = await call<{ reference: Ref; previous_hash: string; assigned: boolean }>(
      nessieAssignReference,
      { name, to: target, expected_hash: moved },
      ctx,
    );
    expect(out).toMatchObject({ previous_hash: moved, assigned: true, reference: { name, hash: targetNow } });
    expect(asked.at(-1)?.summary).toContain(
      `Move branch \`${name}\` from ${moved.slice(0, 12)} to ${targetNow.slice(0, 12)} (\`${target}\`)`,
    );
    expect(await raw.head(name)).toBe(targetNow);

    const noTarget = await callError(nessieAssignReference, { name }, ctx);
    expect(noTarget.code).toBe('invalid_input');
  });
});

describe('nessie_log', () => {
  it('pages the commit log newest first', async () => {
    const ns = unique();
    const name = `${ns}-log`;
    await raw.createBranch(name);
    const hashes = [await raw.commit(name, { [ns]: 'namespace' }, 'first')];
    for (const n of [2, 3, 4, 5])
      hashes.push(await raw.commit(name, { [`${ns}.t${n}`]: `s3://w/${n}.json` }, `commit ${n}`));
    const { ctx } = await world.context();

    type LogPage = {
      ref: string;
      commits: Array<{ hash: string; message: string; parents: string[] }>;
      more: boolean;
      next_page_token?: string;
    };
    const first = await call<LogPage>(nessieLog, { ref: name, limit: 2 }, ctx);
    expect(first.commits.map((c) => c.message)).toEqual(['commit 5', 'commit 4']);
    expect(first.commits[0]?.hash).toBe(hashes[4]);
    expect(first.commits[0]?.parents).toEqual([hashes[3]]);
    expect(first.more).toBe(true);
    const text = outputText(nessieLog, first);
    expect(text).toMatch(/<untrusted-data-[0-9a-f]+>/);
    expect(text).toContain(`page_token "${first.next_page_token}"`);

    const second = await call<LogPage>(
      nessieLog,
      { ref: name, limit: 3, page_token: first.next_page_token },
      ctx,
    );
    expect(second.commits.map((c) => c.message)).toEqual(['commit 3', 'commit 2', 'first']);

    // From an older commit by hash.
    const older = await call<LogPage>(nessieLog, { ref: name, hash: hashes[1], limit: 1 }, ctx);
    expect(older.commits.map((c) => c.message)).toEqual(['commit 2']);
  });
});

/** A context whose confirmation gate commits to `branch` before saying yes: the branch moves in between. */
async function contextThatCommitsWhileAsking(branch: string, ns: string) {
  const { ctx } = await world.context(true);
  ctx.confirm = async () => {
    await raw.commit(branch, { [ns]: 'namespace' });
    return true;
  };
  return { ctx };
}
