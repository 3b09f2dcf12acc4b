/**
 * The audit log in words: what each administrative change did, as sentences
 * from the records before and after ("Leigh's neighbourhood lead: Ben Jones →
 * Dana Shah", "Resolve target at GMCA: 20 working days → 15"), and the full
 * record as field and value lines for a details expander. Pure.
 */
import type { AuditView } from '../../services/audit.ts';
import type { NumberedPage } from '../../domain/numbered-page.ts';
import { paginationView } from './pagination.ts';
import { policySchema, targetChanges, type Policy } from '../../domain/policy/policy.ts';
import { STAGES } from '../../domain/reference-data.ts';
import {
  auditActionName,
  categoryName,
  formatDateTime,
  listInWords,
  localityName,
  neighbourhoodName,
  plural,
  roleName,
  sentence,
  stageName,
  targetsInWords,
  viaName,
} from '../../domain/format/index.ts';

/** What the presenter may know beyond the entries: people's names, and stored policy versions. */
export interface AuditContext {
  /** Names by email; an email without one is shown as the email. */
  names?: ReadonlyMap<string, string>;
  /** Policy documents by `id@version`, to say what a new version changed. */
  policies?: ReadonlyMap<string, Policy>;
  now?: number;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A number or string field as text ("" for anything else). */
const scalar = (v: unknown): string =>
  typeof v === 'number' || typeof v === 'string' ? String(v) : '';
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

const personIn = (ctx: AuditContext) => (email: unknown) => {
  const e = str(email);
  return e ? (ctx.names?.get(e) ?? e) : 'no one';
};

const change = (what: string, before: string, after: string) => `${what}: ${before} → ${after}`;

/** `neighbourhood:wigan/leigh` → `Leigh, Wigan`; `person:x@y` → their name. */
export function auditTargetName(target: string, ctx: AuditContext = {}): string {
  const [kind, rest = ''] = target.split(/:(.*)/s);
  switch (kind) {
    case 'person':
      return ctx.names?.get(rest) ? `${ctx.names.get(rest)} (${rest})` : rest;
    case 'locality':
      return localityName(rest);
    case 'neighbourhood': {
      const [l, n] = rest.split('/');
      return `${neighbourhoodName(l, n)}, ${localityName(l)}`;
    }
    case 'policy': {
      const [id = '', version = ''] = rest.split('@');
      return `${sentence(id.replace(/-/g, ' '))} policy, version ${version}`;
    }
    case 'import':
      return `Import ${rest}`;
    default:
      return rest || target;
  }
}

function policyChanges(before: Policy | undefined, after: Rec): string[] {
  const stages = rec(after.stages);
  const calendar = str(after.calendar);
  if (!before) {
    return STAGES.flatMap((s) => {
      const t = rec(stages[s]);
      return str(t.acknowledge) && str(t.resolve)
        ? [
            `${sentence(stageName(s))}: ${targetsInWords(str(t.acknowledge), str(t.resolve), calendar)}`,
          ]
        : [];
    });
  }
  const parsed = policySchema.safeParse(after);
  const out = parsed.success ? targetChanges(before, parsed.data) : [];
  if (parsed.success && before.name !== parsed.data.name)
    out.unshift(change('Name', before.name, parsed.data.name));
  return out.length ? out : ['No target changes'];
}

const PERSON_FIELDS: [string, string, (v: unknown) => string][] = [
  ['name', 'Name', str],
  ['roles', 'Roles', (v) => listInWords(strs(v).map(roleName)) || 'none'],
  ['locality', 'Locality', (v) => localityName(str(v)) || 'none'],
  ['neighbourhood', 'Neighbourhood', (v) => neighbourhoodName(null, str(v)) || 'none'],
  ['available', 'Availability', (v) => (v === false ? 'away' : 'available')],
  ['clientId', 'Client id', (v) => str(v) || 'none'],
];

/** The sentences saying what one entry changed. */
export function auditChanges(e: AuditView, ctx: AuditContext = {}): string[] {
  const before = rec(e.before);
  const after = rec(e.after);
  const person = personIn(ctx);
  const [, target = ''] = e.target.split(/:(.*)/s);
  switch (e.action) {
    case 'neighbourhood.assignments-changed': {
      const [l, n] = target.split('/');
      const place = neighbourhoodName(l, n);
      return (['lead', 'deputy'] as const).flatMap((k) =>
        str(before[k]) === str(after[k])
          ? []
          : [change(`${place}'s neighbourhood ${k}`, person(before[k]), person(after[k]))],
      );
    }
    case 'locality.assignments-changed': {
      const place = localityName(target);
      const out: string[] = [];
      const was = strs(before.leads);
      const now = strs(after.leads);
      if (was.join() !== now.join())
        out.push(
          change(
            `${place}'s locality leads`,
            listInWords(was.map(person)) || 'no one',
            listInWords(now.map(person)) || 'no one',
          ),
        );
      const specialist = (list: unknown, c: string) =>
        (Array.isArray(list) ? list : []).map(rec).find((s) => s.category === c)?.email;
      const categories = new Set(
        [before.specialists, after.specialists]
          .flatMap((l): unknown[] => (Array.isArray(l) ? l : []))
          .map((s) => str(rec(s).category))
          .filter(Boolean),
      );
      for (const c of categories) {
        const a = specialist(before.specialists, c);
        const b = specialist(after.specialists, c);
        if (str(a) !== str(b))
          out.push(change(`${place}'s ${categoryName(c)} specialist`, person(a), person(b)));
      }
      return out.length ? out : ['No change'];
    }
    case 'person.added':
      return [
        `Added as ${listInWords(strs(after.roles).map(roleName)) || 'no role'}${str(after.locality) ? ` in ${localityName(str(after.locality))}` : ''}`,
      ];
    case 'person.updated': {
      const out = PERSON_FIELDS.flatMap(([k, label, show]) =>
        show(before[k]) === show(after[k]) ? [] : [change(label, show(before[k]), show(after[k]))],
      );
      return out.length ? out : ['No change'];
    }
    case 'person.available':
      return ['Availability: away → available'];
    case 'person.unavailable':
      return ['Availability: available → away'];
    case 'person.access-removed':
      return [
        change('Roles', listInWords(strs(before.roles).map(roleName)) || 'none', 'none'),
        `${plural(Number(after.sessionsEnded ?? 0), 'session')} ended`,
      ];
    case 'person.sessions-ended':
      return [`${plural(Number(after.sessionsEnded ?? 0), 'session')} ended`];
    case 'policy.added': {
      const [id = ''] = target.split('@');
      const previous =
        before.version !== undefined
          ? ctx.policies?.get(`${id}@${scalar(before.version)}`)
          : undefined;
      return [
        before.version !== undefined
          ? `Version ${scalar(after.version)} added, after version ${scalar(before.version)}`
          : `Version ${scalar(after.version)} added`,
        ...policyChanges(previous, after),
      ];
    }
    case 'policy.barriers-migrated': {
      const moved = strs(after.migrated).length;
      const skipped = Array.isArray(after.skipped) ? after.skipped.length : 0;
      return [
        `${plural(moved, 'open barrier')} moved from version ${scalar(before.version)} to ${scalar(after.version)}`,
        ...(skipped ? [`${plural(skipped, 'barrier')} could not be moved`] : []),
      ];
    }
    case 'barrier.reassigned':
      return [
        change('Owner', person(before.owner), person(after.owner)),
        ...(str(after.reason) ? [`Reason: ${str(after.reason)}`] : []),
      ];
    case 'barrier.policy-migrated':
      return [
        change(
          'Policy',
          str(before.policy).replace('@', ' version '),
          str(after.policy).replace('@', ' version '),
        ),
      ];
    case 'ask.published':
    case 'ask.publication-updated':
      return [`As it stood after event ${scalar(after.version)} of its history`];
    case 'ask.unpublished':
      return [
        `Taken down; it had been published as it stood after event ${scalar(before.version)}`,
      ];
    case 'import.started':
      return [
        `${str(after.file)}: ${plural(Number(after.rows ?? 0), 'row')}${after.alreadyImported ? `, ${scalar(after.alreadyImported)} imported before` : ''}`,
      ];
    default:
      return recordLines(e.after).map((l) => `${l.key}: ${l.value}`);
  }
}

/** Any value as words: lists joined, nothing as "none", objects as their fields. */
function valueText(v: unknown): string {
  if (v === null || v === undefined || v === '') return 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.length ? v.map(valueText).join(', ') : 'none';
  if (typeof v === 'object')
    return Object.entries(v as Rec)
      .map(([k, x]) => `${k} ${valueText(x)}`)
      .join('; ');
  return scalar(v);
}

/** A record as field and value lines (nested fields joined with a space), for the details expander. */
export function recordLines(v: unknown, prefix = ''): { key: string; value: string }[] {
  const r = rec(v);
  return Object.entries(r).flatMap(([k, x]) => {
    const key = prefix ? `${prefix} ${k}` : k;
    return x && typeof x === 'object' && !Array.isArray(x)
      ? recordLines(x, key)
      : [
          {
            key: sentence(key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()),
            value: valueText(x),
          },
        ];
  });
}

/** One entry as the audit page shows it. */
export function auditEntryView(e: AuditView, ctx: AuditContext = {}) {
  return {
    when: formatDateTime(e.at, ctx.now),
    who: ctx.names?.get(e.actor) ?? e.actor,
    what: sentence(auditActionName(e.action)),
    target: auditTargetName(e.target, ctx),
    changes: auditChanges(e, ctx),
    via: viaName(e.via),
    before: recordLines(e.before),
    after: recordLines(e.after),
  };
}

/** Every entry, for the audit page. */
export const auditEntries = (entries: AuditView[], ctx: AuditContext = {}) =>
  entries.map((e) => auditEntryView(e, ctx));

/**
 * The query with each GOV.UK date input (`from-day`, `from-month`,
 * `from-year`; the same for `to`) joined into one `YYYY-MM-DD` field, as the
 * audit filter reads it. A part left empty leaves the whole date out; a date
 * that does not exist stays as typed, for the filter's validation to refuse.
 */
export function withDateInputs(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...query };
  for (const name of ['from', 'to']) {
    const part = (p: string) => {
      const v = query[`${name}-${p}`];
      return typeof v === 'string' ? v.trim() : '';
    };
    const [day, month, year] = [part('day'), part('month'), part('year')];
    if (!day && !month && !year) continue;
    out[name] = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  }
  return out;
}

/** The audit CSV's column names in words; its columns are the API's (`at`, `actor`, …). */
export const AUDIT_CSV_HEADINGS = ['When', 'Who', 'What', 'Target', 'Through', 'Before', 'After'];

/** Which entries the page shows of how many, and the links to the others (`query`: the filters). */
export function auditPagesView(page: NumberedPage<unknown>, query: string) {
  const href = (n: number) => {
    const params = new URLSearchParams(query);
    if (n > 1) params.set('page', String(n));
    const q = params.toString();
    return q ? `/admin/audit?${q}` : '/admin/audit';
  };
  const { showing, pagination } = paginationView(page, href, 'entries');
  return {
    showing: `${page.total === 1 ? '1 entry' : showing}, newest first`,
    pagination,
  };
}
