import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode, statusOfErrorCode, type ApiError } from '@copydesk/protocol';

/** An error a handler throws on purpose; becomes `{error: {code, message}}` with its status. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number = statusOfErrorCode[code],
  ) {
    super(message);
  }
}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new HttpError(ErrorCode.notFound, `No route for ${req.method} ${req.path}`));
};

export function errorBody(code: ErrorCode, message: string): ApiError {
  return { error: { code, message } };
}

/** Turns every error into the one JSON error shape; logs only the unexpected ones. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (res.headersSent) return;
  if (error instanceof HttpError) {
    res.status(error.status).json(errorBody(error.code, error.message));
    return;
  }
  // body-parser errors carry a `type` and an HTTP status
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    res.status(413).json(errorBody(ErrorCode.payloadTooLarge, 'Request body is too large'));
    return;
  }
  if (type === 'entity.parse.failed') {
    res.status(400).json(errorBody(ErrorCode.invalidRequest, 'Request body is not valid JSON'));
    return;
  }
  const status = (error as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json(errorBody(ErrorCode.invalidRequest, 'Malformed request'));
    return;
  }
  req.log?.error({ err: error }, 'unhandled error');
  res.status(500).json(errorBody(ErrorCode.internal, 'Something went wrong on our side'));
};
