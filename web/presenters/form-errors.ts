/**
 * The one way a service's field problems become a form's errors. A problem
 * names where it was found as the API does (`body.stages.gmca.resolve`,
 * `query.to`, `path.id`); a form names its fields by id (`stages-gmca-resolve`,
 * `to`). Each field shows its first problem.
 */
import type { FieldProblem } from '../../services/errors.ts';
import { humanise } from '../format.ts';

/** A problem's path on the form: where the API found it (`body.`, `query.`, `path.`) dropped. */
export const problemPath = (p: FieldProblem): string =>
  p.field.replace(/^(body|query|path)(\.|$)/, '');

export interface FormErrorOptions {
  /** Form field ids for paths that differ (`title` → `askTitle`). */
  rename?: Readonly<Record<string, string>>;
  /** The message for a field; by default its name in words and the reason. */
  message?: (field: string, problem: FieldProblem) => string | undefined;
}

/**
 * Problems as errors on the form's `fields`: a problem goes on the field its
 * path names, or the field its path starts with (`evidence-0-url` on
 * `evidence`), else on the form's first field.
 */
export function formErrors(
  problems: readonly FieldProblem[],
  fields: readonly string[],
  options: FormErrorOptions = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) {
    const path = problemPath(p);
    const id = path.split('.').join('-');
    const named = options.rename?.[id] ?? id;
    const field =
      (fields.includes(named) ? named : fields.find((f) => named.startsWith(`${f}-`))) ??
      fields[0] ??
      'form';
    out[field] ??=
      options.message?.(field, p) ?? `${humanise(path.split('.').at(-1) || field)} ${p.reason}`;
  }
  return out;
}
