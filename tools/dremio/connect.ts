/**
 * The Dremio a tool talks to: the profile's `dremio` section. One client per URL and user lives in
 * the client pool, so a login is shared by every call of a session.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import type { DremioClient } from './client.js';

export async function dremioClient(ctx: ToolContext): Promise<DremioClient> {
  const section = ctx.config.dremio;
  const url = section?.url;
  if (!url) {
    throw new ToolError('config', `No Dremio is configured in profile "${ctx.config.profile}"`, {
      hint: 'Add dremio.url (and dremio.token, or dremio.username and dremio.password) to datastack.yaml, or set DREMIO_URL and DREMIO_TOKEN',
    });
  }
  if (!/^https?:\/\//i.test(url)) {
    throw new ToolError(
      'config',
      `dremio.url is "${url}": DataStack talks to Dremio over its REST API (http://…)`,
      {
        hint: 'Use the coordinator URL, e.g. http://127.0.0.1:9047',
      },
    );
  }
  const { DremioClient } = await import('./client.js');
  const who = section.token ? 'pat' : (section.username ?? 'anonymous');
  return ctx.clients.get(`dremio:${url}:${who}`, () =>
    Promise.resolve(
      new DremioClient({ url, token: section.token, username: section.username, password: section.password }),
    ),
  );
}
