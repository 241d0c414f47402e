/**
 * Clients (a DuckDB instance, an S3 client, an HTTP session) are created on first use and shared
 * for the rest of the process, then closed once. Tests put their own in with `set`.
 */

export interface Closable {
  close?(): void | Promise<void>;
}

export class ClientPool {
  private readonly pending = new Map<string, Promise<unknown>>();
  private readonly closers: Array<() => void | Promise<void>> = [];

  /** Returns the client named `key`, creating it with `create` the first time. */
  get<T>(key: string, create: () => Promise<T>, close?: (client: T) => void | Promise<void>): Promise<T> {
    let client = this.pending.get(key) as Promise<T> | undefined;
    if (!client) {
      client = create();
      this.pending.set(key, client);
      // A failed creation is not cached: the next call tries again (the service may be up now).
      client.then(
        (value) => {
          if (close) this.closers.push(() => close(value));
        },
        () => this.pending.delete(key),
      );
    }
    return client;
  }

  set<T>(key: string, client: T): void {
    this.pending.set(key, Promise.resolve(client));
  }

  async closeAll(): Promise<void> {
    const closers = this.closers.splice(0);
    this.pending.clear();
    await Promise.allSettled(closers.map(async (close) => close()));
  }
}
