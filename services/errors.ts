/**
 * What a use case can refuse, without assuming HTTP: the API maps each to
 * problem+json (400, 403, 404, 409, 422), the pages to the GOV.UK error
 * summary and field errors, or an error page.
 */
import type { z } from 'zod';

/** One field-level problem in a request. */
export interface FieldProblem {
  /** Where: `body.title`, `query.limit`, `path.id`, `header.idempotency-key`. */
  field: string;
  reason: string;
}

export type ServiceErrorKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'rejected';

/** A request a use case refuses; `detail` is a sentence for the person who made it. */
export class ServiceError extends Error {
  override readonly name: string = 'ServiceError';
  constructor(
    readonly kind: ServiceErrorKind,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Input that is not valid: each field and the reason. Nothing was changed. */
export class InvalidInput extends ServiceError {
  override readonly name = 'InvalidInput';
  constructor(
    detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super('invalid', detail);
  }
}

/** The actor's role or scope does not allow this. */
export class Forbidden extends ServiceError {
  override readonly name = 'Forbidden';
  constructor(detail: string) {
    super('forbidden', detail);
  }
}

/** Not there, or not visible to the actor (existence is not revealed). */
export class NotFound extends ServiceError {
  override readonly name = 'NotFound';
  constructor(detail: string) {
    super('not-found', detail);
  }
}

/** Conflicts with what is already there (an idempotency key reused, a version taken). */
export class Conflict extends ServiceError {
  override readonly name = 'Conflict';
  constructor(detail: string) {
    super('conflict', detail);
  }
}

/** The state of the barrier or ask does not allow this now. */
export class Rejected extends ServiceError {
  override readonly name = 'Rejected';
  constructor(detail: string) {
    super('rejected', detail);
  }
}

/** True for a refusal a use case made on purpose (not an outage or a bug). */
export const isServiceError = (err: unknown): err is ServiceError => err instanceof ServiceError;

/** An invalid-input error for one field. */
export const invalidField = (detail: string, field: string, reason: string) =>
  new InvalidInput(detail, [{ field, reason }]);

/** Turns zod issues into field problems under `where` (body, query, path). */
export function fieldProblems(where: string, error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [where, ...issue.path.map(String)].join('.');
    if (keys.length > 0) {
      return {
        field: `${path}.${keys.join(',')}`,
        reason: `is not a field this request takes (unknown fields are rejected)`,
      };
    }
    // Rephrase zod's own defaults; messages our schemas set are already in our voice.
    if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      if (/received undefined/.test(issue.message)) return { field: path, reason: 'is required' };
      return {
        field: path,
        reason: `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`,
      };
    }
    return { field: path, reason: issue.message };
  });
}

/** Parses `value` with `schema`, or throws {@link InvalidInput} naming every bad field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const nul = nulCharacterAt(value);
  if (nul !== null) {
    const field = nul === '' ? where : `${where}.${nul}`;
    throw invalidField(
      `${field} contains a NUL character, which no text here may hold.`,
      field,
      'must not contain a NUL character',
    );
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldProblems(where, result.error);
    throw new InvalidInput(errors.map((e) => `${e.field} ${e.reason}`).join('; '), errors);
  }
  return result.data;
}

/**
 * The 4xx status Express or a body parser gave an error it raised for a
 * request it could not read (a malformed percent-encoding in the path, a body
 * over the limit), or undefined for any other error.
 */
export function requestErrorStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** The organisation's OpenID provider (its discovery document or keys) cannot be reached. */
export class IdentityProviderUnavailable extends Error {
  override readonly name = 'IdentityProviderUnavailable';
}

/**
 * Which dependency an error says is down (the database or Temporal), or
 * undefined when it is not an outage: both front ends answer these with 503.
 */
export function unavailableDependency(
  err: unknown,
): 'database' | 'temporal' | 'sign-in provider' | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  if (err instanceof IdentityProviderUnavailable) return 'sign-in provider';
  const e = err as { name?: string; message?: string };
  if (
    e.name === 'MongoServerSelectionError' ||
    e.name === 'MongoNetworkError' ||
    e.name === 'MongoNotConnectedError' ||
    e.name === 'MongoNetworkTimeoutError'
  )
    return 'database';
  if (
    e.name === 'ServiceError' ||
    e.name === 'ConnectionError' ||
    /UNAVAILABLE|DEADLINE_EXCEEDED/.test(e.message ?? '')
  )
    return 'temporal';
  return undefined;
}

/**
 * Where a value holds a string with a NUL character (U+0000), as a dotted
 * path ('' for the value itself), or null. No text in Golden Thread may hold
 * one, and PostgreSQL cannot store one in a document: refused as input, not
 * failed on as a write.
 */
export function nulCharacterAt(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? '' : null;
  if (value === null || typeof value !== 'object' || depth > 20) return null;
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\u0000')) return key.replaceAll('\u0000', '\\0');
    const inner = nulCharacterAt(v, depth + 1);
    if (inner !== null) return inner === '' ? key : `${key}.${inner}`;
  }
  return null;
}
