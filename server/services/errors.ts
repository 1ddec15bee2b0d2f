/**
 * Domain errors thrown by service functions. The tRPC layer maps them to codes in one place
 * (server/api/trpc.ts); messages are written for the person who will read them.
 */
export type ServiceErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'BAD_REQUEST'
  | 'TOO_MANY_REQUESTS';

export class ServiceError extends Error {
  constructor(
    public readonly code: ServiceErrorCode,
    message: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const notFound = (what: string) => new ServiceError('NOT_FOUND', `${what} was not found.`);
export const conflict = (message: string) => new ServiceError('CONFLICT', message);
export const precondition = (message: string) => new ServiceError('PRECONDITION_FAILED', message);
export const badRequest = (message: string) => new ServiceError('BAD_REQUEST', message);
export const tooManyRequests = (message: string) => new ServiceError('TOO_MANY_REQUESTS', message);
