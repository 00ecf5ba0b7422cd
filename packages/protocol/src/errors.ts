/** Stable error codes: every REST error body, Socket.IO ack error and log line uses one of these. */
export const ErrorCode = {
  invalidRequest: 'invalid_request',
  invalidCredentials: 'invalid_credentials',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  payloadTooLarge: 'payload_too_large',
  rateLimited: 'rate_limited',
  forbiddenTransition: 'forbidden_transition',
  invalidTransition: 'invalid_transition',
  /** Publishing text that changed after the desk approved it, without re-approving it. */
  changedSinceApproval: 'changed_since_approval',
  unavailable: 'unavailable',
  internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}
/** The one shape of every JSON error on every route: `{error: {code, message}}`. */
export interface ApiError {
  error: ErrorBody;
}

/** HTTP status that goes with each code, so server and clients agree. */
export const statusOfErrorCode: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  forbidden: 403,
  forbidden_transition: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  changed_since_approval: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
};

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    'error' in value &&
    typeof (value as ApiError).error?.code === 'string'
  );
}
