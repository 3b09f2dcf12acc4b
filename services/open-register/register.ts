/**
 * The open register: the Whitehall asks GMCA has chosen to publish, for
 * anyone to read without signing in. Publishing is an explicit act by GMCA
 * staff: they preview the public record (services/open-register/public-ask.ts),
 * and what they publish is that record as previewed, never anything newer
 * nor anything more. A change to the ask afterwards reaches the register
 * only when they publish again. Withdrawing takes it down; its page then
 * says so. Each act is on the ask's page and in the audit log.
 *
 * Publication is a record beside the ask, not a step of its workflow: an ask
 * that has its outcome has finished its workflow, and publishing (or taking
 * down) what was said changes nothing in the ask itself.
 */
import { createHash } from 'node:crypto';
import type { PackFormat } from '../../domain/ask/pack-formats.ts';
import { PACK_MEDIA_TYPES } from '../../domain/ask/pack-formats.ts';
import { searchWords } from '../../domain/search.ts';
import type { Actor } from '../../domain/barrier/types.ts';
import { askIdPattern } from '../../domain/barrier/schemas.ts';
import type { PublicationDoc } from '../../store/models.ts';
import { requireAskRunner } from '../access.ts';
import type { StoredAsk } from '../asks.ts';
import { recordAskPublished } from '../webhooks.ts';
import { recordAudit, type Via } from '../audit.ts';
import type { ServiceDeps } from '../deps.ts';
import { Conflict, NotFound, Rejected } from '../errors.ts';
import { askPackDocxBuffer } from '../evidence-pack/docx-pack.ts';
import { readAskPackWithEvidence, type PackDocument } from '../evidence-pack/evidence-pack.ts';
import { askPackPdfBuffer } from '../evidence-pack/pdf-pack.ts';
import { publicAskOf, reviewTag, type PublicAsk } from './public-ask.ts';

type Deps = Pick<ServiceDeps, 'models'>;
/** Publishing also tells webhook subscribers (services/webhooks.ts). */
type PublishDeps = Pick<
  ServiceDeps,
  'models' | 'client' | 'taskQueue' | 'webhooks' | 'logger' | 'publicBaseUrl'
>;

/** One act on an ask's publication. */
export interface PublicationAct {
  type: 'published' | 'updated' | 'withdrawn';
  at: Date;
  by: string;
  /** The ask's version the act published (or, for a withdrawal, took down). */
  version: number;
  /** The ask's status and outcome in the record published (for the feed). */
  status: string;
  outcome: string | null;
}

/** Where an ask stands on the open register. */
export interface Publication {
  askId: string;
  status: 'published' | 'withdrawn';
  version: number;
  firstPublishedAt: Date;
  publishedAt: Date;
  withdrawnAt: Date | null;
  record: PublicAsk;
  history: PublicationAct[];
}

const asPublication = (d: PublicationDoc & { _id: string }): Publication => ({
  askId: d._id,
  status: d.status as Publication['status'],
  version: d.version,
  firstPublishedAt: d.firstPublishedAt,
  publishedAt: d.publishedAt,
  withdrawnAt: d.withdrawnAt ?? null,
  record: d.record as PublicAsk,
  history: (d.history as PublicationAct[]).map((h) => ({ ...h, at: new Date(h.at) })),
});

/** Where the ask stands on the open register, or null if it was never published. */
export async function publicationOf(deps: Deps, askId: string): Promise<Publication | null> {
  const d = await deps.models.Publication.findById(askId).lean();
  return d ? asPublication(d) : null;
}

/** Only what was asked of a department is published: never a draft, nor one withdrawn as a draft. */
function requirePublishable(a: StoredAsk) {
  if (a.status === 'draft' || !a.submittedAt)
    throw new Rejected(
      `${a._id} ${a.status === 'draft' ? 'is a draft' : 'was never submitted'}: only an ask that has been submitted to the department can be published.`,
    );
}

/** The public record `a` would have if published now: what the preview shows. */
export async function previewPublication(
  deps: Deps,
  actor: Actor,
  a: StoredAsk,
  now = Date.now(),
): Promise<PublicAsk> {
  requireAskRunner(actor);
  requirePublishable(a);
  const { pack, evidence } = await readAskPackWithEvidence(deps, a, now);
  return publicAskOf(a, evidence, pack, now);
}

/**
 * Publishes the ask exactly as the preview tagged `tag` showed it (or
 * publishes its update).
 * @throws {Rejected} for a draft, or an ask never submitted.
 * @throws {Conflict} when the ask or any of its barriers has changed since
 *   that preview: what would be published is not what was read.
 */
export async function publish(
  deps: PublishDeps,
  actor: Actor,
  via: Via,
  a: StoredAsk,
  tag: string,
  now = Date.now(),
): Promise<Publication> {
  const record = await previewPublication(deps, actor, a, now);
  if (reviewTag(record) !== tag)
    throw new Conflict(
      `${a._id} or one of its barriers has changed since the preview you read, so what would be published is not what you read. Read the preview again before publishing.`,
    );
  const version = record.version;
  const before = await publicationOf(deps, a._id);
  const type: PublicationAct['type'] = before?.status === 'published' ? 'updated' : 'published';
  const at = new Date(now);
  const act: PublicationAct = {
    type,
    at,
    by: actor.email,
    version,
    status: record.status,
    outcome: record.outcome,
  };
  await deps.models.Publication.updateOne(
    { _id: a._id },
    {
      $set: { status: 'published', version, publishedAt: at, withdrawnAt: null, record },
      $setOnInsert: { firstPublishedAt: at },
      $push: { history: act },
    },
    { upsert: true },
  );
  await recordAudit(deps, actor, via, {
    action: type === 'updated' ? 'ask.publication-updated' : 'ask.published',
    target: `ask:${a._id}`,
    before: before ? { status: before.status, version: before.version } : null,
    after: { status: 'published', version },
  });
  await recordAskPublished(deps, a, {
    number: (before?.history.length ?? 0) + 1,
    at,
    by: actor.email,
    type,
  });
  return {
    askId: a._id,
    status: 'published',
    version,
    firstPublishedAt: before?.firstPublishedAt ?? at,
    publishedAt: at,
    withdrawnAt: null,
    record,
    history: [...(before?.history ?? []), act],
  };
}

/**
 * Takes the ask down from the open register: its public page then says it
 * was withdrawn, and when.
 * @throws {Rejected} when it is not on the register.
 */
export async function withdrawPublication(
  deps: Deps,
  actor: Actor,
  via: Via,
  a: StoredAsk,
  now = Date.now(),
): Promise<Publication> {
  requireAskRunner(actor);
  const before = await publicationOf(deps, a._id);
  if (before?.status !== 'published')
    throw new Rejected(`${a._id} is not on the open register, so there is nothing to withdraw.`);
  const at = new Date(now);
  const act: PublicationAct = {
    type: 'withdrawn',
    at,
    by: actor.email,
    version: before.version,
    status: before.record.status,
    outcome: before.record.outcome,
  };
  await deps.models.Publication.updateOne(
    { _id: a._id },
    { $set: { status: 'withdrawn', withdrawnAt: at }, $push: { history: act } },
  );
  await recordAudit(deps, actor, via, {
    action: 'ask.unpublished',
    target: `ask:${a._id}`,
    before: { status: 'published', version: before.version },
    after: { status: 'withdrawn' },
  });
  return { ...before, status: 'withdrawn', withdrawnAt: at, history: [...before.history, act] };
}

/** What the register may be filtered by. */
export interface OpenFilters {
  q?: string;
  department?: string;
  outcome?: string;
  year?: number;
}

/** The open register: every published ask, and when the register last changed. */
export interface OpenRegister {
  /** Published asks matching the filters, most recently published first. */
  items: Publication[];
  /** Every published ask, for the filters' choices. */
  all: Publication[];
  /** The latest publication or withdrawal: the register's Last-Modified. */
  lastModified: Date | null;
}

const matches = (p: PublicAsk, f: OpenFilters, words: string[]) =>
  (!f.department || p.department === f.department) &&
  (!f.outcome || (f.outcome === 'awaiting' ? p.outcome === null : p.outcome === f.outcome)) &&
  (!f.year || p.year === f.year) &&
  words.every((w) =>
    [p.reference, p.title, p.ask, p.response ?? '', p.departmentName]
      .join(' ')
      .toLowerCase()
      .includes(w),
  );

/** The published asks that match `filters` (anyone may read them). */
export async function openRegister(deps: Deps, filters: OpenFilters = {}): Promise<OpenRegister> {
  const docs = await deps.models.Publication.find({}).lean();
  const pubs = docs.map(asPublication);
  const lastModified = pubs.reduce<Date | null>((latest, p) => {
    const t = Math.max(p.publishedAt.getTime(), p.withdrawnAt?.getTime() ?? 0);
    return latest === null || t > latest.getTime() ? new Date(t) : latest;
  }, null);
  const all = pubs
    .filter((p) => p.status === 'published')
    .sort(
      (a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || (a.askId < b.askId ? -1 : 1),
    );
  const words = searchWords(filters.q);
  return { items: all.filter((p) => matches(p.record, filters, words)), all, lastModified };
}

/**
 * A published ask, or one taken down (its page says so).
 * @throws {NotFound} for an ask never published (or no ask at all).
 */
export async function openAsk(deps: Deps, id: string): Promise<Publication> {
  const p = askIdPattern.test(id) ? await publicationOf(deps, id) : null;
  if (!p) throw new NotFound(`There is no published ask ${id}.`);
  return p;
}

/**
 * The evidence pack of a published ask, as published, and when it was.
 * @throws {NotFound} unless it is on the register now.
 */
export async function openAskPack(
  deps: Deps,
  id: string,
  format: PackFormat,
): Promise<PackDocument & { publishedAt: Date }> {
  const p = await openAsk(deps, id);
  if (p.status !== 'published') throw new NotFound(`${id} was withdrawn from the open register.`);
  const pack = { ...p.record.pack, producedAt: new Date(p.record.pack.producedAt) };
  return {
    filename: `${pack.filename}.${format}`,
    contentType: PACK_MEDIA_TYPES[format],
    body: await (format === 'docx' ? askPackDocxBuffer(pack) : askPackPdfBuffer(pack)),
    publishedAt: p.publishedAt,
  };
}

/** This process's start: what it renders may differ from the last release's. */
const STARTED = String(Date.now());

/**
 * The validators of what the register shows at `address`: records are never
 * edited in place, so the register changes only with a publication act, and
 * `lastModified` (the latest act) stands for its whole state. The ETag is
 * weak, from that state (a page's bytes hold a fresh CSP nonce). HTTP dates
 * count whole seconds, so within the second of the latest act there is no
 * Last-Modified: a second act in that second would not change it, and a
 * poller sending only If-Modified-Since would keep a withdrawn ask.
 */
export function registerValidators(
  address: string,
  lastModified: Date | null,
  now = Date.now(),
): { etag: string; lastModified?: string } {
  const tag = createHash('sha256')
    .update(`${STARTED}\n${address}\n${lastModified?.getTime() ?? 0}`)
    .digest('base64url')
    .slice(0, 27);
  const settled =
    lastModified !== null && Math.floor(lastModified.getTime() / 1000) < Math.floor(now / 1000);
  return {
    etag: `W/"${tag}"`,
    ...(settled ? { lastModified: lastModified.toUTCString() } : {}),
  };
}
