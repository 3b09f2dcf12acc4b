/**
 * The audit log: every administrative change (directory, policies, policy
 * migrations, reassignments by an admin, sessions revoked), who made it, when,
 * through which front end, and the record before and after.
 */
import { z } from 'zod';
import type { Actor } from '../domain/barrier/types.ts';
import type { Policy } from '../domain/policy/policy.ts';
import { findByIds } from '../store/point-reads.ts';
import { getPolicy } from '../store/policy-store.ts';
import { toCsv } from './csv.ts';
import { requireAdmin } from './access.ts';
import type { ServiceDeps } from './deps.ts';
import { readNumberedPage, type NumberedPage } from '../domain/numbered-page.ts';

type Deps = Pick<ServiceDeps, 'models'>;

/** The front end a change came through. */
export type Via = 'api' | 'pages';

export interface AuditChange {
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/** Appends one entry. */
export async function recordAudit(
  deps: Deps,
  actor: Actor,
  via: Via,
  change: AuditChange,
): Promise<void> {
  await deps.models.AuditEntry.create({
    at: new Date(),
    actor: actor.email,
    action: change.action,
    target: change.target,
    before: change.before ?? null,
    after: change.after ?? null,
    via,
  });
}

/** The audit page's and the API's filters. */
export const auditFilterSchema = z.strictObject({
  actor: z.string().trim().toLowerCase().max(320).optional(),
  action: z.string().trim().max(100).optional(),
  target: z.string().trim().max(400).optional(),
  from: z.iso.date('must be a date such as 2026-11-01').optional(),
  to: z.iso.date('must be a date such as 2026-11-30').optional(),
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional(),
});
export type AuditFilter = z.output<typeof auditFilterSchema>;

export interface AuditView {
  at: string;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  via: string;
}

/** `s` matched literally inside a regular expression. */
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The database filter for `filter`: target by prefix, dates as whole days (UTC). */
export function auditQuery(filter: AuditFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (filter.actor) q.actor = filter.actor;
  if (filter.action) q.action = filter.action;
  if (filter.target) q.target = { $regex: `^${escapeRegex(filter.target)}` };
  const at: Record<string, Date> = {};
  if (filter.from) at.$gte = new Date(`${filter.from}T00:00:00Z`);
  if (filter.to) at.$lt = new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000);
  if (filter.from || filter.to) q.at = at;
  return q;
}

type AuditDoc = {
  at: Date;
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
  via: string;
};
const auditView = (d: AuditDoc): AuditView => ({
  at: d.at.toISOString(),
  actor: d.actor,
  action: d.action,
  target: d.target,
  before: d.before ?? null,
  after: d.after ?? null,
  via: d.via,
});

/** Entries matching `filter`, newest first (at most `limit`). Admins only. */
export async function listAudit(
  deps: Deps,
  actor: Actor,
  filter: AuditFilter,
  limit = 500,
): Promise<AuditView[]> {
  requireAdmin(actor, 'read the audit log');
  const docs = await deps.models.AuditEntry.find(auditQuery(filter))
    .sort({ at: -1, _id: -1 })
    .limit(limit)
    .lean();
  return docs.map(auditView);
}

/** One numbered page (from 1; past the end, the last) of the entries matching `filter`, newest first. Admins only. */
export async function auditPage(
  deps: Deps,
  actor: Actor,
  filter: AuditFilter,
  page = 1,
  size = 25,
): Promise<NumberedPage<AuditView>> {
  requireAdmin(actor, 'read the audit log');
  const q = auditQuery(filter);
  return readNumberedPage(
    page,
    size,
    () => deps.models.AuditEntry.countDocuments(q),
    async (skip, limit) =>
      (
        await deps.models.AuditEntry.find(q)
          .sort({ at: -1, _id: -1 })
          .skip(skip)
          .limit(limit)
          .lean()
      ).map(auditView),
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Every email address in a record, however deep. */
function emailsIn(v: unknown, out: Set<string>, depth = 0): void {
  if (depth > 5) return;
  if (typeof v === 'string') {
    if (EMAIL.test(v)) out.add(v.toLowerCase());
  } else if (Array.isArray(v)) for (const x of v) emailsIn(x, out, depth + 1);
  else if (v && typeof v === 'object')
    for (const x of Object.values(v as Record<string, unknown>)) emailsIn(x, out, depth + 1);
}

/**
 * What the entries name that the audit page says in words: the email of
 * everyone in them (actors, targets, before and after), and the policy
 * version each new version followed (`id@version`).
 */
export function auditReferences(entries: readonly AuditView[]) {
  const emails = new Set<string>();
  const policies = new Set<string>();
  for (const e of entries) {
    emailsIn(e.actor, emails);
    if (e.target.startsWith('person:')) emailsIn(e.target.slice('person:'.length), emails);
    emailsIn(e.before, emails);
    emailsIn(e.after, emails);
    const version = (e.before as { version?: unknown } | null)?.version;
    if (
      e.action === 'policy.added' &&
      (typeof version === 'number' || typeof version === 'string')
    ) {
      const id = e.target.replace(/^policy:/, '').split('@')[0];
      if (id) policies.add(`${id}@${version}`);
    }
  }
  return { emails: [...emails], policies: [...policies] };
}

/**
 * People's names by email and policy documents by `id@version` for what
 * `entries` name, so the audit page can say who and what changed. Admins only.
 */
export async function auditContext(
  deps: Deps,
  actor: Actor,
  entries: readonly AuditView[],
): Promise<{ names: Map<string, string>; policies: Map<string, Policy> }> {
  requireAdmin(actor, 'read the audit log');
  const wanted = auditReferences(entries);
  const [people, policies] = await Promise.all([
    findByIds(deps.models.Person, wanted.emails, { name: 1 }),
    Promise.all(
      wanted.policies.map(async (key) => {
        const [id = '', version = ''] = key.split('@');
        return [key, await getPolicy(deps.models, id, Number(version))] as const;
      }),
    ),
  ]);
  return {
    names: new Map(people.map((p) => [p._id, p.name])),
    policies: new Map(policies.flatMap(([k, p]) => (p ? [[k, p] as const] : []))),
  };
}

/** The CSV's column names as the API has always given them. */
export const AUDIT_CSV_FIELDS = ['at', 'actor', 'action', 'target', 'via', 'before', 'after'];

/**
 * The entries as CSV, before and after as JSON cells (the full record);
 * `headings` names the columns (the pages' download says them in words).
 */
export function auditCsv(
  entries: AuditView[],
  headings: readonly string[] = AUDIT_CSV_FIELDS,
): string {
  return toCsv(
    [...headings],
    entries.map((e) => [
      e.at,
      e.actor,
      e.action,
      e.target,
      e.via,
      e.before === null ? '' : JSON.stringify(e.before),
      e.after === null ? '' : JSON.stringify(e.after),
    ]),
  );
}
