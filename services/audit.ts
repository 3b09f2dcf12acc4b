/**
 * The audit log: every administrative change (directory, policies, policy
 * migrations, reassignments by an admin, sessions revoked), who made it, when,
 * through which front end, and the record before and after.
 */
import { z } from 'zod';
import type { Actor } from '../domain/barrier/types.ts';
import { toCsv } from './csv.ts';
import { requireAdmin } from './access.ts';
import type { ServiceDeps } from './deps.ts';

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

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Entries matching `filter`, newest first (at most `limit`). Admins only. */
export async function listAudit(
  deps: Deps,
  actor: Actor,
  filter: AuditFilter,
  limit = 500,
): Promise<AuditView[]> {
  requireAdmin(actor, 'read the audit log');
  const q: Record<string, unknown> = {};
  if (filter.actor) q.actor = filter.actor;
  if (filter.action) q.action = filter.action;
  if (filter.target) q.target = { $regex: `^${escapeRegex(filter.target)}` };
  const at: Record<string, Date> = {};
  if (filter.from) at.$gte = new Date(`${filter.from}T00:00:00Z`);
  if (filter.to) at.$lt = new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000);
  if (filter.from || filter.to) q.at = at;
  const docs = await deps.models.AuditEntry.find(q).sort({ at: -1, _id: -1 }).limit(limit).lean();
  return docs.map((d) => ({
    at: d.at.toISOString(),
    actor: d.actor,
    action: d.action,
    target: d.target,
    before: (d.before as unknown) ?? null,
    after: (d.after as unknown) ?? null,
    via: d.via,
  }));
}

/** The entries as CSV, before and after as JSON cells. */
export function auditCsv(entries: AuditView[]): string {
  return toCsv(
    ['at', 'actor', 'action', 'target', 'via', 'before', 'after'],
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
