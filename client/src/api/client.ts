import { ErrorCode, isApiError } from '@copydesk/protocol';

/** A failed API call: the server's `{error: {code, message}}`, or a network failure (status 0). */
export class ApiClientError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, status: number, message: string) {
    super(message);
    this.name = 'ApiClientError';
    this.code = code;
    this.status = status;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Fallback code when a response carries no usable `{error}` body. */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.unauthenticated;
  if (status === 403) return ErrorCode.forbidden;
  if (status === 404) return ErrorCode.notFound;
  if (status === 413) return ErrorCode.payloadTooLarge;
  if (status === 429) return ErrorCode.rateLimited;
  if (status === 503) return ErrorCode.unavailable;
  if (status >= 400 && status < 500) return ErrorCode.invalidRequest;
  return ErrorCode.internal;
}

async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiClientError(ErrorCode.unavailable, 0, 'Cannot reach the Copydesk server. Check your connection and try again.');
  }

  if (response.status === 204) return undefined as T;

  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!response.ok) {
    if (isApiError(data)) throw new ApiClientError(data.error.code, response.status, data.error.message);
    throw new ApiClientError(codeForStatus(response.status), response.status, response.statusText || `Request failed (${response.status})`);
  }
  return data as T;
}

export const http = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown, signal?: AbortSignal) => request<T>('POST', path, body, signal),
  patch: <T>(path: string, body?: unknown, signal?: AbortSignal) => request<T>('PATCH', path, body, signal),
  put: <T>(path: string, body?: unknown, signal?: AbortSignal) => request<T>('PUT', path, body, signal),
  delete: <T>(path: string, signal?: AbortSignal) => request<T>('DELETE', path, undefined, signal),
};

export function isApiClientError(error: unknown): error is ApiClientError {
  return error instanceof ApiClientError;
}
