/**
 * A fake Dremio: no Dremio server can be installed here, so this local HTTP server follows
 * Dremio's documented REST API for the calls DataStack makes, with SQL really run by DuckDB over
 * vega-datasets files. Documented behaviour followed (field names as in dremio-oss
 * `dac/backend/src/main/java/com/dremio/dac/api/{JobResource,JobStatus,CatalogItem,Dataset}.java`):
 * - Auth https://docs.dremio.com/current/reference/api/#authentication: `Authorization: Bearer <PAT>`,
 *   or `POST /apiv2/login {userName, password}` → `{token}`, then `Authorization: _dremio<token>`.
 * - SQL https://docs.dremio.com/current/reference/api/sql: `POST /api/v3/sql {sql, context}` → `{id}`.
 * - Job https://docs.dremio.com/current/reference/api/job: `GET /api/v3/job/{id}` → `{jobState,
 *   rowCount, errorMessage, cancellationReason, …}`; `POST /api/v3/job/{id}/cancel`.
 * - Results https://docs.dremio.com/current/reference/api/job/job-results: `GET
 *   /api/v3/job/{id}/results?offset=&limit=` (limit ≤ 500) → `{rowCount, schema, rows}`.
 * - Catalog https://docs.dremio.com/current/reference/api/catalog: `GET /api/v3/catalog` → `{data:
 *   [items]}`; `GET /api/v3/catalog/by-path/{a}/{b}` and `/catalog/{id}` → an entity (entityType).
 * - sys.jobs_recent https://docs.dremio.com/current/reference/sql/system-tables/jobs_recent.
 * Errors are `{errorMessage, moreInfo}` with Dremio's status codes.
 *
 * The catalog: home `@analyst`, source `Samples` with folder `vega` holding four files
 * (`Samples.vega."flights-2k.json"`, …), space `Analytics` with folder `reports` holding the view
 * `weather_by_type`. Jobs report RUNNING for `pollsUntilDone - 1` polls, then their outcome; SQL
 * containing SLOW_MARKER stays RUNNING until cancelled. `expireSessions()` makes login tokens stale.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createSampleDatabase,
  dremioRows,
  FAKE_USER,
  ident,
  refreshJobsTable,
  SAMPLE_FILES,
  VIEW_SQL,
  type FakeJob,
  type Field,
} from './dremio-data.js';

export { FAKE_USER, SAMPLE_FILES, VEGA_DATA, type FakeJob } from './dremio-data.js';

export const FAKE_PAT = 'fake-dremio-pat-7f3a9c';
export const FAKE_PASSWORD = 'analyst-password-1';
export const SLOW_MARKER = '/* fake:slow */';

interface Node {
  id: string;
  path: string[];
  kind: 'home' | 'space' | 'source' | 'folder' | 'dataset';
  view?: string;
}

export interface FakeDremio {
  url: string;
  /** Every request, in order: method, path with query, and whether it was authorised. */
  requests: Array<{ method: string; path: string; authorized: boolean }>;
  jobs: Map<string, FakeJob>;
  /** Login tokens stop working, as when a session expires: the next call answers 401. */
  expireSessions(): void;
  close(): Promise<void>;
}

export async function startFakeDremio(options: { pollsUntilDone?: number } = {}): Promise<FakeDremio> {
  const pollsUntilDone = options.pollsUntilDone ?? 2;
  const db = await createSampleDatabase();

  const nodes: Node[] = [
    { id: randomUUID(), path: [`@${FAKE_USER}`], kind: 'home' },
    { id: randomUUID(), path: ['Analytics'], kind: 'space' },
    { id: randomUUID(), path: ['Analytics', 'reports'], kind: 'folder' },
    { id: randomUUID(), path: ['Analytics', 'reports', 'weather_by_type'], kind: 'dataset', view: VIEW_SQL },
    { id: randomUUID(), path: ['Samples'], kind: 'source' },
    { id: randomUUID(), path: ['Samples', 'vega'], kind: 'folder' },
    ...SAMPLE_FILES.map((file): Node => ({
      id: randomUUID(),
      path: ['Samples', 'vega', file],
      kind: 'dataset',
    })),
  ];
  const jobs = new Map<string, FakeJob>();
  const sessions = new Set<string>();
  const requests: FakeDremio['requests'] = [];
  // One query at a time, as the jobs table is rewritten before each: DuckDB would see write conflicts.
  let queue: Promise<void> = Promise.resolve();

  const execute = async (job: FakeJob, context: string[]): Promise<void> => {
    const connection = await db.connect();
    try {
      await refreshJobsTable(connection, jobs);
      if (context.length > 0) await connection.run(`USE ${context.map(ident).join('.')}`);
      const reader = await connection.runAndReadAll(job.sql);
      job.outcome = dremioRows(
        reader.columnNames(),
        reader.columnTypes().map(String),
        reader.getRowObjectsJson(),
      );
    } catch (error) {
      job.outcome = { error: (error as Error).message };
    } finally {
      connection.closeSync();
    }
  };

  const fieldsOf = async (node: Node): Promise<Field[]> => {
    const connection = await db.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT * FROM ${node.path.map(ident).join('.')} LIMIT 0`,
      );
      return dremioRows(reader.columnNames(), reader.columnTypes().map(String), []).schema;
    } finally {
      connection.closeSync();
    }
  };

  const item = (node: Node) => ({
    id: node.id,
    path: node.path,
    tag: node.id.slice(0, 8),
    type: node.kind === 'dataset' ? 'DATASET' : 'CONTAINER',
    ...(node.kind === 'dataset'
      ? { datasetType: node.view ? 'VIRTUAL' : 'PROMOTED' }
      : { containerType: node.kind.toUpperCase() }),
  });

  const entity = async (node: Node) => {
    const naming =
      node.kind === 'folder' || node.kind === 'dataset' ? { path: node.path } : { name: node.path[0] };
    if (node.kind !== 'dataset') {
      const children = nodes.filter(
        (n) => n.path.length === node.path.length + 1 && node.path.every((s, i) => n.path[i] === s),
      );
      return {
        entityType: node.kind,
        id: node.id,
        ...naming,
        tag: node.id.slice(0, 8),
        children: children.map(item),
      };
    }
    return {
      entityType: 'dataset',
      id: node.id,
      type: node.view ? 'VIRTUAL_DATASET' : 'PHYSICAL_DATASET',
      ...naming,
      tag: node.id.slice(0, 8),
      fields: await fieldsOf(node),
      ...(node.view ? { sql: node.view, sqlContext: [] } : {}),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    const user = authorizedUser(req.headers.authorization, sessions);
    requests.push({
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      authorized: user !== undefined,
    });
    const route = `${req.method} ${url.pathname}`;

    if (route === 'POST /apiv2/login') {
      const login = body as { userName?: string; password?: string };
      if (login.userName !== FAKE_USER || login.password !== FAKE_PASSWORD) {
        return send(res, 401, { errorMessage: 'Login failed: Invalid username or password', moreInfo: '' });
      }
      const token = randomBytes(12).toString('hex');
      sessions.add(token);
      return send(res, 200, {
        token,
        userName: FAKE_USER,
        expires: Date.now() + 30 * 3600_000,
        admin: false,
      });
    }
    if (!url.pathname.startsWith('/api/v3/')) return send(res, 404, { errorMessage: 'HTTP 404 Not Found' });
    if (!user) return send(res, 401, { errorMessage: 'Unauthorized', moreInfo: '' });

    if (route === 'GET /api/v3/catalog') {
      return send(res, 200, { data: nodes.filter((n) => n.path.length === 1).map(item) });
    }
    const byPath = /^\/api\/v3\/catalog\/by-path\/(.+)$/.exec(url.pathname);
    const byId = /^\/api\/v3\/catalog\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && (byPath || byId)) {
      const path = byPath?.[1]?.split('/').map(decodeURIComponent);
      const node = path
        ? nodes.find((n) => n.path.length === path.length && n.path.every((s, i) => s === path[i]))
        : nodes.find((n) => n.id === decodeURIComponent(byId?.[1] ?? ''));
      if (!node) {
        const what = path ? `path [[${path.join(', ')}]]` : `id [${byId?.[1]}]`;
        return send(res, 404, { errorMessage: `Could not find entity with ${what}`, moreInfo: '' });
      }
      return send(res, 200, await entity(node));
    }
    if (route === 'POST /api/v3/sql') {
      const { sql, context } = body as { sql?: string; context?: string[] };
      if (typeof sql !== 'string' || sql.trim() === '')
        return send(res, 400, { errorMessage: 'sql is required' });
      const job: FakeJob = { id: randomUUID(), sql, state: 'RUNNING', polls: 0, submitted: new Date() };
      jobs.set(job.id, job);
      if (!sql.includes(SLOW_MARKER)) queue = queue.then(() => execute(job, context ?? []));
      return send(res, 200, { id: job.id });
    }
    const jobRoute = /^\/api\/v3\/job\/([^/]+)(\/results|\/cancel)?$/.exec(url.pathname);
    const job = jobRoute ? jobs.get(decodeURIComponent(jobRoute[1] ?? '')) : undefined;
    if (jobRoute && !job) {
      return send(res, 404, { errorMessage: `Could not find a job with id [${jobRoute[1]}]`, moreInfo: '' });
    }
    if (job && req.method === 'GET' && !jobRoute?.[2]) {
      job.polls += 1;
      if (job.state === 'RUNNING' && job.outcome && job.polls >= pollsUntilDone) {
        job.state = 'error' in job.outcome ? 'FAILED' : 'COMPLETED';
        job.finished = new Date();
      }
      return send(res, 200, jobStatus(job));
    }
    if (job && req.method === 'POST' && jobRoute?.[2] === '/cancel') {
      if (job.state !== 'RUNNING') {
        return send(res, 400, { errorMessage: `Job ${job.id} may have completed and cannot be canceled.` });
      }
      job.state = 'CANCELED';
      job.cancellationReason = `Query cancelled by user '${user}'`;
      job.finished = new Date();
      res.writeHead(204).end();
      return;
    }
    if (job && req.method === 'GET' && jobRoute?.[2] === '/results') {
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 100);
      if (limit > 500) return send(res, 400, { errorMessage: 'limit can not exceed 500 rows' });
      if (job.state !== 'COMPLETED' || !job.outcome || 'error' in job.outcome) {
        return send(res, 400, {
          errorMessage: `Can not fetch details for a job that is in [${job.state}] state.`,
        });
      }
      const { rows, schema } = job.outcome;
      return send(res, 200, { rowCount: rows.length, schema, rows: rows.slice(offset, offset + limit) });
    }
    return send(res, 404, { errorMessage: 'HTTP 404 Not Found', moreInfo: '' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { errorMessage: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    jobs,
    expireSessions: () => sessions.clear(),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      db.closeSync();
    },
  };
}

function jobStatus(job: FakeJob) {
  const done = job.state === 'COMPLETED' && job.outcome && 'rows' in job.outcome;
  return {
    jobState: job.state,
    rowCount: done && job.outcome && 'rows' in job.outcome ? job.outcome.rows.length : 0,
    errorMessage: job.state === 'FAILED' && job.outcome && 'error' in job.outcome ? job.outcome.error : '',
    startedAt: job.submitted.toISOString(),
    ...(job.finished ? { endedAt: job.finished.toISOString() } : {}),
    queryType: 'REST',
    cancellationReason: job.cancellationReason ?? '',
  };
}

function authorizedUser(header: string | undefined, sessions: Set<string>): string | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer (.+)$/.exec(header)?.[1];
  if (bearer === FAKE_PAT) return FAKE_USER;
  const session = bearer ?? /^_dremio(.+)$/.exec(header)?.[1];
  return session && sessions.has(session) ? FAKE_USER : undefined;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
