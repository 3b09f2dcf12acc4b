/**
 * The administration pages' view models: the people and localities of the
 * directory, SLA policy versions (a form that becomes a policy document, and
 * its preview), and the audit log. Pure: the routes fetch, these shape.
 */
import type { PersonView } from '../../services/directory.ts';
import type { AuditView } from '../../services/audit.ts';
import { auditEntries, type AuditContext } from './audit.ts';
import { formErrors, problemPath } from './form-errors.ts';
import type { FieldProblem } from '../../services/errors.ts';
import { CATEGORIES, ROLES } from '../../domain/reference-data.ts';
import { CALENDARS } from '../../domain/calendar/working-time.ts';
import type { Policy } from '../../domain/policy/policy.ts';
import {
  calendarName,
  durationFromWords,
  durationInWords,
  formatDate,
  formatDateTime as london,
  placeName,
  roleName,
  sentence,
  targetsInWords,
} from '../../domain/format/index.ts';
import { humanise } from '../format.ts';
import type { SelectItem } from './options.ts';

/** Errors keyed by field id, as the GOV.UK error summary lists them (in `order`). */
export function errorSummary(fieldErrors: Record<string, string>, order: readonly string[] = []) {
  const ids = [
    ...order.filter((f) => fieldErrors[f]),
    ...Object.keys(fieldErrors).filter((f) => !order.includes(f)),
  ];
  return ids.map((id) => ({ text: fieldErrors[id], href: `#${id}` }));
}

/** A string from a posted field (the first, when repeated). */
export const field = (form: Record<string, unknown>, name: string): string => {
  const v = form[name];
  const s: unknown = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim() : '';
};

/** Every value of a repeated field (checkboxes). */
export const fields = (form: Record<string, unknown>, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (x): x is string => typeof x === 'string' && x !== '',
  );
};

// People

export interface Locality {
  _id: string;
  name: string;
  neighbourhoods: { slug: string; name: string }[];
}

export const PERSON_FIELDS = ['email', 'name', 'roles', 'locality', 'neighbourhood', 'clientId'];

/** The person form's values from a stored entry (or blank for a new one). */
export function personValues(p?: PersonView) {
  return {
    email: p?.email ?? '',
    name: p?.name ?? '',
    roles: p?.roles ?? [],
    locality: p?.locality ?? '',
    neighbourhood: p?.neighbourhood ?? '',
    available: p ? String(p.available) : 'true',
    kind: p?.kind ?? 'person',
    clientId: p?.clientId ?? '',
  };
}
export type PersonValues = ReturnType<typeof personValues>;

export function personValuesFromForm(form: Record<string, unknown>): PersonValues {
  return {
    email: field(form, 'email').toLowerCase(),
    name: field(form, 'name'),
    roles: fields(form, 'roles'),
    locality: field(form, 'locality'),
    neighbourhood: field(form, 'neighbourhood'),
    available: field(form, 'available') === 'false' ? 'false' : 'true',
    kind: field(form, 'kind') === 'service' ? 'service' : 'person',
    clientId: field(form, 'clientId'),
  };
}

/** The directory entry a posted form asks for (validated by the directory's schema). */
export function personBody(v: PersonValues) {
  return {
    name: v.name,
    roles: v.roles,
    locality: v.locality || null,
    neighbourhood: v.neighbourhood || null,
    available: v.available !== 'false',
    kind: v.kind,
    clientId: v.kind === 'service' ? v.clientId || null : null,
  };
}

export function personFormView(
  v: PersonValues,
  localities: Locality[],
  fieldErrors: Record<string, string>,
  editing: boolean,
) {
  return {
    values: v,
    editing,
    errors: errorSummary(fieldErrors, PERSON_FIELDS),
    fieldErrors,
    roleItems: ROLES.map((r) => ({ value: r, text: humanise(r), checked: v.roles.includes(r) })),
    localityItems: [
      { value: '', text: 'None' },
      ...localities.map((l) => ({ value: l._id, text: l.name, selected: l._id === v.locality })),
    ],
    neighbourhoodItems: [
      { value: '', text: 'None' },
      ...localities.flatMap((l) =>
        l.neighbourhoods.map((n) => ({
          value: n.slug,
          text: `${n.name} (${l.name})`,
          selected: n.slug === v.neighbourhood && l._id === v.locality,
        })),
      ),
    ],
    kindItems: [
      { value: 'person', text: 'A person', checked: v.kind !== 'service' },
      {
        value: 'service',
        text: 'A service (a machine client of the API)',
        checked: v.kind === 'service',
      },
    ],
  };
}

const scopeText = (p: Pick<PersonView, 'locality' | 'neighbourhood'>) =>
  placeName(p.locality, p.neighbourhood) || 'All of Greater Manchester';

export function peopleRows(people: PersonView[]) {
  return people.map((p) => [
    { text: p.name, href: `/admin/people/${encodeURIComponent(p.email)}` },
    { text: p.kind === 'service' ? `${p.email} (service ${p.clientId ?? ''})` : p.email },
    { text: sentence(p.roles.map(roleName).join(', ')) || 'No access' },
    { text: scopeText(p) },
    p.available
      ? { text: 'Available' }
      : { text: '', tags: [{ text: 'Away', classes: 'govuk-tag--grey' }] },
  ]);
}

/** What routing does instead while someone is away (or no longer has access). */
export function assignmentChanges(
  assignments: { where: string; as: string; instead: string | null }[],
  away: boolean,
): string[] {
  if (!away)
    return assignments.map(
      (a) => `${a.where}: they are ${a.as} again, and new barriers route to them`,
    );
  return assignments.map((a) =>
    a.instead
      ? `${a.where}: new barriers for the ${a.as} go to ${a.instead} instead`
      : `${a.where}: there is no one else named as ${a.as}; new barriers go up to the locality leads`,
  );
}

// Localities

export function localityRows(
  localities: {
    slug: string;
    name: string;
    leads: ({ name: string } | null)[];
    neighbourhoods: unknown[];
  }[],
) {
  return localities.map((l) => [
    { text: l.name, href: `/admin/localities/${l.slug}` },
    {
      text:
        l.leads
          .map((p) => p?.name)
          .filter(Boolean)
          .join(', ') || 'None',
    },
    { text: String(l.neighbourhoods.length) },
  ]);
}

type Person = { email: string; name: string; available: boolean } | null;

/** Select items of people, with `chosen` selected and a blank first. */
export const peopleItems = (
  people: { email: string; name: string }[],
  chosen: string | null | undefined,
  blank = 'No one',
): SelectItem[] => [
  { value: '', text: blank },
  ...people.map((p) => ({
    value: p.email,
    text: `${p.name} (${p.email})`,
    selected: p.email === chosen,
  })),
];

/** What the locality form was posted with: the leads as typed, and each post's choice. */
export interface LocalityPosted {
  leads: string;
  specialists: Record<string, string | null>;
  neighbourhoods: Record<string, { lead: string | null; deputy: string | null }>;
}

/** The locality form's values as posted, to redraw a refused form with what the admin chose. */
export function localityPosted(
  form: Record<string, unknown>,
  neighbourhoods: readonly string[],
): LocalityPosted {
  return {
    leads: field(form, 'leads'),
    specialists: Object.fromEntries(
      CATEGORIES.map((c) => [c, field(form, `specialist-${c}`) || null]),
    ),
    neighbourhoods: Object.fromEntries(
      neighbourhoods.map((slug) => [
        slug,
        {
          lead: field(form, `lead-${slug}`) || null,
          deputy: field(form, `deputy-${slug}`) || null,
        },
      ]),
    ),
  };
}

/** The emails a posted locality form chose for its posts (so its selects can offer them). */
export const postedEmails = (posted: LocalityPosted): string[] =>
  [
    ...Object.values(posted.specialists),
    ...Object.values(posted.neighbourhoods).flatMap((n) => [n.lead, n.deputy]),
  ].filter((e): e is string => Boolean(e));

/**
 * The locality form: drawn from the stored locality, or, when a change was
 * refused, from what was `posted`, so nothing the admin typed is lost.
 */
export function localityFormView(
  l: {
    slug: string;
    name: string;
    leads: Person[];
    specialists: { category?: string | null; person: Person }[];
    neighbourhoods: { slug: string; name: string; lead: Person; deputy: Person }[];
  },
  people: { email: string; name: string }[],
  fieldErrors: Record<string, string> = {},
  posted?: LocalityPosted,
) {
  return {
    title: `${l.name}: leads, deputies and specialists`,
    slug: l.slug,
    errors: errorSummary(fieldErrors),
    fieldErrors,
    leads: posted
      ? posted.leads
      : l.leads
          .map((p) => p?.email)
          .filter(Boolean)
          .join(', '),
    specialists: CATEGORIES.map((c) => ({
      category: c,
      label: `${humanise(c)} specialist`,
      items: peopleItems(
        people,
        posted ? posted.specialists[c] : l.specialists.find((s) => s.category === c)?.person?.email,
      ),
    })),
    neighbourhoods: l.neighbourhoods.map((n) => {
      const chosen = posted?.neighbourhoods[n.slug];
      return {
        slug: n.slug,
        name: n.name,
        leadItems: peopleItems(people, chosen ? chosen.lead : n.lead?.email),
        deputyItems: peopleItems(people, chosen ? chosen.deputy : n.deputy?.email),
      };
    }),
  };
}

/** The locality form as the directory's two kinds of change. */
export function localityChanges(form: Record<string, unknown>, neighbourhoods: string[]) {
  const leads = field(form, 'leads')
    .split(/[\s,;]+/)
    .map((e) => e.toLowerCase())
    .filter(Boolean);
  const specialists = CATEGORIES.flatMap((category) => {
    const email = field(form, `specialist-${category}`);
    return email ? [{ category, email }] : [];
  });
  return {
    locality: { leads, specialists },
    neighbourhoods: neighbourhoods.map((slug) => ({
      slug,
      body: {
        lead: field(form, `lead-${slug}`) || null,
        deputy: field(form, `deputy-${slug}`) || null,
      },
    })),
  };
}

// SLA policies

const STAGES = ['neighbourhood', 'locality', 'gmca', 'whitehall'] as const;
const TARGETS = ['acknowledge', 'resolve'] as const;

export const POLICY_FIELDS = [
  'id',
  'version',
  'name',
  'calendar',
  'warnAt',
  'reopenWindow',
  ...STAGES.flatMap((s) => TARGETS.map((t) => `stages-${s}-${t}`)),
  'asks-chaseEvery',
  'asks-maxChasers',
  'upload',
  'json',
];

/** The form's values from a policy (the next version of it, for a new one). */
export function policyValues(p: Policy, nextVersion = p.version + 1): Record<string, string> {
  const v: Record<string, string> = {
    id: p.id,
    version: String(nextVersion),
    name: p.name,
    calendar: p.calendar,
    warnAt: p.warnAt.join(', '),
    reopenWindow: durationInWords(p.reopenWindow, p.calendar),
    'asks-chaseEvery': durationInWords(p.asks.chaseEvery, p.calendar),
    'asks-maxChasers': String(p.asks.maxChasers),
    json: '',
  };
  for (const s of STAGES)
    for (const t of TARGETS) v[`stages-${s}-${t}`] = durationInWords(p.stages[s][t], p.calendar);
  return v;
}

export function policyValuesFromForm(form: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(POLICY_FIELDS.map((f) => [f, field(form, f)]));
}

const numberOr = (s: string): unknown => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

/** The policy document the form (or its pasted JSON, when given) describes; validation is the schema's. */
export function policyDocument(v: Record<string, string>): unknown {
  if (v.json) {
    try {
      return JSON.parse(v.json) as unknown;
    } catch {
      return undefined;
    }
  }
  return {
    id: v.id,
    version: numberOr(v.version ?? ''),
    name: v.name,
    calendar: v.calendar,
    warnAt: (v.warnAt ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(numberOr),
    reopenWindow: durationFromWords(v.reopenWindow ?? ''),
    stages: Object.fromEntries(
      STAGES.map((s) => [
        s,
        Object.fromEntries(TARGETS.map((t) => [t, durationFromWords(v[`stages-${s}-${t}`] ?? '')])),
      ]),
    ),
    asks: {
      chaseEvery: durationFromWords(v['asks-chaseEvery'] ?? ''),
      maxChasers: numberOr(v['asks-maxChasers'] ?? ''),
    },
  };
}

/** Schema problems on a policy as errors on the form's fields (or on the JSON box). */
export function policyFieldErrors(problems: FieldProblem[], fromJson: boolean) {
  if (fromJson) {
    const out: Record<string, string> = {};
    const first = problems[0];
    if (first) out.json = `${problemPath(first) || 'The document'} ${first.reason}`;
    return out;
  }
  // The form takes targets in words, so say so rather than naming ISO 8601.
  return formErrors(
    problems.map((p) =>
      /ISO 8601 duration/.test(p.reason)
        ? { ...p, reason: 'must be a number and a unit, such as 10 days or 4 hours' }
        : p,
    ),
    POLICY_FIELDS,
  );
}

export function policyFormView(
  v: Record<string, string>,
  fieldErrors: Record<string, string>,
  preview?: { acknowledgeBy: number; resolveBy: number; now: number },
) {
  return {
    title: 'Add an SLA policy version',
    values: v,
    errors: errorSummary(fieldErrors, POLICY_FIELDS),
    fieldErrors,
    calendarItems: CALENDARS.map((c) => ({
      value: c,
      text: sentence(calendarName(c)),
      selected: c === v.calendar,
    })),
    stages: STAGES.map((s) => ({
      name: s,
      label: humanise(s),
      targets: TARGETS.map((t) => ({ id: `stages-${s}-${t}`, label: `${humanise(t)} within` })),
    })),
    preview: preview && {
      text: `Raised now (${london(new Date(preview.now))}), a barrier would be due to acknowledge by ${london(new Date(preview.acknowledgeBy))} and to resolve by ${london(new Date(preview.resolveBy))} at the neighbourhood stage.`,
    },
  };
}

export function policyRows(
  versions: {
    id: string;
    version: number;
    createdAt: string;
    createdBy: string;
    policy: unknown;
  }[],
  openCounts: Map<string, number>,
) {
  return versions.map((p) => {
    const doc = p.policy as Policy;
    return [
      { text: `${sentence(p.id.replace(/-/g, ' '))} policy, version ${p.version}` },
      { text: doc.name },
      {
        lines: STAGES.map(
          (s) =>
            `${humanise(s).replace('Gmca', 'GMCA')}: ${targetsInWords(doc.stages[s].acknowledge, doc.stages[s].resolve, doc.calendar)}`,
        ),
        text: '',
      },
      { text: String(openCounts.get(`${p.id}@${p.version}`) ?? 0) },
      { text: `${formatDate(p.createdAt)} by ${p.createdBy}` },
    ];
  });
}

// Audit

/** The audit page's entries in words (see audit.ts). */
export const auditRows = (entries: AuditView[], ctx: AuditContext = {}) =>
  auditEntries(entries, ctx);
