// A small fetch wrapper for driving a worker's REST API in end-to-end tests.

export interface RestResponse<T = any> {
  status: number;
  /** The parsed JSON body; undefined when the body is empty. */
  body: T;
  headers: Headers;
}

export interface RestClient {
  get<T = any>(path: string): Promise<RestResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<RestResponse<T>>;
  put<T = any>(path: string, body?: unknown): Promise<RestResponse<T>>;
  delete<T = any>(path: string): Promise<RestResponse<T>>;
}

export function restClient(baseUrl: string, timeoutMs = 30_000): RestClient {
  async function call<T>(method: string, path: string, body?: unknown): Promise<RestResponse<T>> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error(`${method} ${path}: ${res.status} with a body that is not JSON: ${text.slice(0, 500)}`);
      }
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    delete: (path) => call('DELETE', path),
  };
}
