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

/** Sends the error body and leaves the code for the metrics middleware. */
function sendError(res: Parameters<ErrorRequestHandler>[2], status: number, code: ErrorCode, message: string): void {
  res.locals.errorCode = code;
  res.status(status).json(errorBody(code, message));
}

export function errorBody(code: ErrorCode, message: string): ApiError {
  return { error: { code, message } };
}

/** Turns every error into the one JSON error shape; logs only the unexpected ones. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (res.headersSent) return;
  if (error instanceof HttpError) {
    sendError(res, error.status, error.code, error.message);
    return;
  }
  // body-parser errors carry a `type` and an HTTP status
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    sendError(res, 413, ErrorCode.payloadTooLarge, 'Request body is too large');
    return;
  }
  if (type === 'entity.parse.failed') {
    sendError(res, 400, ErrorCode.invalidRequest, 'Request body is not valid JSON');
    return;
  }
  const status = (error as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    sendError(res, status, ErrorCode.invalidRequest, 'Malformed request');
    return;
  }
  req.log?.error({ err: error }, 'unhandled error');
  sendError(res, 500, ErrorCode.internal, 'Something went wrong on our side');
};
