/** Small HTTP probes for health checks: short timeouts, never throw. */

export interface Probe {
  ok: boolean;
  status?: number;
  body?: string;
  headers?: Headers;
  error?: string;
}

export async function probe(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Probe> {
  const timeout = AbortSignal.timeout(init.timeoutMs ?? 2_000);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { ...init, signal });
    const body = await response.text();
    return { ok: response.ok, status: response.status, body, headers: response.headers };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ok: false, error: cause?.code ?? (error as Error).message };
  }
}

export function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
