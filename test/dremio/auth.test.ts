/**
 * Dremio auth against the documented-API fake (test/fakes/dremio-server.ts): personal access
 * tokens, username/password login, renewal of an expired session, and the faults around them.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dremioCatalog } from '../../tools/dremio/browse-catalog.js';
import { dremioSql } from '../../tools/dremio/run-sql.js';
import { FAKE_PASSWORD, FAKE_USER } from '../fakes/dremio-server.js';
import { call, callError, startDremioSetup, type DremioSetup } from './fixtures.js';

let setup: DremioSetup;
beforeAll(async () => {
  setup = await startDremioSetup();
});
afterAll(() => setup.close());

const login = { DREMIO_TOKEN: '', DREMIO_USERNAME: FAKE_USER, DREMIO_PASSWORD: FAKE_PASSWORD };
const logins = () => setup.fake.requests.filter((r) => r.path === '/apiv2/login').length;

describe('Dremio auth', () => {
  it('sends a personal access token as a Bearer token', async () => {
    const out = await call<{ rows: unknown[] }>(dremioSql, { sql: 'SELECT 1 AS one' }, await setup.context());
    expect(out.rows).toEqual([{ one: 1 }]);
    expect(setup.fake.requests.every((r) => r.path === '/apiv2/login' || r.authorized)).toBe(true);
  });

  it('logs in with username and password once, and renews an expired session once on a 401', async () => {
    const before = logins();
    const ctx = await setup.context(login);
    await call(dremioCatalog, {}, ctx);
    await call(dremioCatalog, {}, ctx);
    expect(logins()).toBe(before + 1);

    setup.fake.expireSessions();
    const seen = setup.fake.requests.length;
    const out = await call<{ rows: unknown[] }>(dremioSql, { sql: 'SELECT 42 AS answer' }, ctx);
    expect(out.rows).toEqual([{ answer: 42 }]);
    expect(logins()).toBe(before + 2);
    // The refused call, the login, then the same call again, accepted.
    expect(setup.fake.requests.slice(seen, seen + 3).map((r) => [r.method, r.path, r.authorized])).toEqual([
      ['POST', '/api/v3/sql', false],
      ['POST', '/apiv2/login', false],
      ['POST', '/api/v3/sql', true],
    ]);
  });

  it('reports a wrong password as unauthorized, with what to set', async () => {
    const ctx = await setup.context({ ...login, DREMIO_PASSWORD: 'not-the-password' });
    const error = await callError(dremioCatalog, {}, ctx);
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain(
      `refused the login of "${FAKE_USER}": Login failed: Invalid username or password`,
    );
    expect(error.hint).toMatch(/DREMIO_TOKEN/);
  });

  it('reports a token Dremio does not accept as unauthorized', async () => {
    const error = await callError(dremioCatalog, {}, await setup.context({ DREMIO_TOKEN: 'revoked-token' }));
    expect(error.code).toBe('unauthorized');
    expect(error.hint).toMatch(/expired or revoked/);
  });

  it('reports Dremio down as unavailable, and a profile without Dremio as a config error', async () => {
    const port = await freePort();
    const down = await callError(
      dremioSql,
      { sql: 'SELECT 1' },
      await setup.context({ DREMIO_URL: `http://127.0.0.1:${port}` }),
    );
    expect(down.code).toBe('unavailable');
    expect(down.message).toBe(`Dremio at http://127.0.0.1:${port} refused the connection: is it running?`);
    expect(down.hint).toMatch(/dremio\.url/);

    const none = await callError(dremioCatalog, {}, await setup.context({ DREMIO_URL: '' }));
    expect(none.code).toBe('config');
    expect(none.hint).toMatch(/DREMIO_URL/);
  });
});

/** A port nothing listens on (taken, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
