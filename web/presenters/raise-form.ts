/** The raise page: the form's fields, the body it posts, and its errors in GOV.UK words. */
import type { Actor } from '../../domain/barrier/types.ts';
import { CATEGORIES, FOCUS_AREAS } from '../../domain/reference-data.ts';
import type { FieldProblem } from '../../services/errors.ts';
import { humanise } from '../format.ts';
import { formErrors } from './form-errors.ts';
import { options } from './options.ts';

/** The form's fields, in the order the page shows them (and the error summary lists them). */
export const RAISE_FIELDS = [
  'title',
  'description',
  'locality',
  'neighbourhood',
  'category',
  'focusArea',
  'peopleAffected',
] as const;

const MESSAGES: Record<string, string> = {
  title: 'Enter a title for the barrier',
  description: 'Describe the barrier and who it affects',
  neighbourhood: 'Choose the neighbourhood it affects',
  category: 'Choose a category',
  peopleAffected: 'Enter the people affected as a whole number, like 120',
};

/** What was typed, as strings, so the form can show it again. */
export const raiseValues = (form: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    RAISE_FIELDS.map((k) => {
      const v = form[k];
      return [k, typeof v === 'string' ? v : ''];
    }),
  );

/** The API's raise body from the form's values (blank optional fields left out). */
export function raiseBody(values: Record<string, string>): Record<string, unknown> {
  const people = (values.peopleAffected ?? '').trim();
  return {
    title: values.title,
    description: values.description,
    locality: values.locality,
    neighbourhood: values.neighbourhood,
    category: values.category,
    ...(values.focusArea ? { focusArea: values.focusArea } : {}),
    ...(people ? { peopleAffected: /^\d+$/.test(people) ? Number(people) : people } : {}),
  };
}

/** Field problems (`body.x`) as the form's error messages, one per field. */
export function raiseFieldErrors(problems: FieldProblem[]): Record<string, string> {
  return formErrors(problems, RAISE_FIELDS, {
    message: (field, p) => MESSAGES[field] ?? `${humanise(field)} ${p.reason}`,
  });
}

interface LocalityChoice {
  _id: string;
  name: string;
  neighbourhoods: { slug: string; name: string }[];
}

/** The page's view model: pickers limited to where the person may raise. */
export function raiseFormView(
  user: Actor,
  localities: LocalityChoice[],
  values: Record<string, string>,
  fieldErrors: Record<string, string> = {},
) {
  const allowed =
    user.role === 'admin' ? localities : localities.filter((l) => l._id === user.locality);
  const chosen = values.locality || allowed[0]?._id;
  const neighbourhoods = allowed.find((l) => l._id === chosen)?.neighbourhoods ?? [];
  return {
    title: 'Raise a barrier',
    values,
    fieldErrors,
    errors: RAISE_FIELDS.filter((f) => fieldErrors[f]).map((f) => ({
      text: fieldErrors[f],
      href: `#${f}`,
    })),
    localityItems: allowed.map((l) => ({
      value: l._id,
      text: l.name,
      selected: l._id === chosen,
    })),
    neighbourhoodItems: [
      { value: '', text: 'Choose a neighbourhood' },
      ...neighbourhoods.map((n) => ({
        value: n.slug,
        text: n.name,
        selected: n.slug === values.neighbourhood,
      })),
    ],
    categoryItems: options(CATEGORIES, values.category, 'Choose a category'),
    focusItems: options(FOCUS_AREAS, values.focusArea, 'None'),
  };
}
