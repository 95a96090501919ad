/** Errors a caller can act on, as values. Mapped to HTTP statuses in one place (http.ts). */
export type AppError =
  | { code: "UNAUTHENTICATED"; message: string }
  | { code: "FORBIDDEN"; message: string }
  | { code: "VALIDATION"; message: string; fieldErrors: Record<string, string[]> }
  | { code: "NOT_FOUND"; message: string }
  | { code: "CONFLICT"; message: string; fieldErrors?: Record<string, string[]> }
  | { code: "IN_USE"; message: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: AppError): Result<T> => ({ ok: false, error });

export const notFound = (what: string): AppError => ({ code: "NOT_FOUND", message: `${what} does not exist (it may have been deleted).` });
export const fieldConflict = (field: string, message: string): AppError => ({ code: "CONFLICT", message, fieldErrors: { [field]: [message] } });
export const invalidField = (field: string, message: string): AppError => ({ code: "VALIDATION", message, fieldErrors: { [field]: [message] } });

export const HTTP_STATUS: Record<AppError["code"], number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IN_USE: 409,
};

/** Thrown inside an action's transaction to roll it back and return the error as a value. */
export class AppErrorAbort extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
  }
}
