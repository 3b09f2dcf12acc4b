/**
 * What the API answers, as zod schemas: the representations in
 * representations.ts are typed by these, and the OpenAPI document's response
 * schemas are generated from them, so the document describes what is sent.
 */
import { z } from 'zod';
import { publicRecordResource } from '../services/open-register/open-data.ts';
import {
  askId,
  barrierId,
  count,
  instant,
  publicBarrierSchema,
  publicTimelineEventSchema,
} from '../services/public-barrier.ts';

/** A barrier, as services/public-barrier.ts defines it. */
export const barrierResourceSchema = publicBarrierSchema;
export const timelineEventResource = publicTimelineEventSchema;
import { ASK_OUTCOMES, BARRIER_STATUSES } from '../domain/barrier/types.ts';
import { ASK_STATUSES } from '../domain/ask/ask-machine.ts';
import { policySchema } from '../domain/policy/policy.ts';
import { importIdPattern } from '../domain/import/barrier-import.ts';
import { DUPLICATE_HINTS } from '../domain/triage/triage.ts';
import {
  CATEGORIES,
  DEPARTMENT_SLUGS,
  LOCALITIES,
  ROLES,
  STAGES,
} from '../domain/reference-data.ts';
import { DELIVERY_PREFERENCES, MESSAGE_KINDS } from '../domain/notifications/messages.ts';
import { PERSON_KINDS } from '../domain/directory/schemas.ts';

const when = instant.nullable();
const person = z.strictObject({ email: z.string(), name: z.string() });

export const barrierListResource = z.strictObject({
  items: z.array(barrierResourceSchema),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null at the end.'),
});

export const triageResource = z.strictObject({
  items: z.array(
    barrierResourceSchema.extend({
      localitiesSharing: z.int().min(1),
      likelyDuplicates: z
        .array(
          z.strictObject({
            id: barrierId,
            similarity: z.number().min(0).max(1),
            stage: z.enum(STAGES).nullable(),
          }),
        )
        .max(DUPLICATE_HINTS)
        .describe(
          `The ${DUPLICATE_HINTS} most similar open barriers from other localities at most.`,
        ),
      likelyDuplicateCount: z.int().min(0).describe('How many likely duplicates there are in all.'),
    }),
  ),
  total: z.int().min(0).describe('Barriers in the whole queue, with the filters asked for.'),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null at the end.'),
});

/** What a list of an ask's barriers says of each. */
const barrierSummary = {
  id: barrierId,
  reference: z.string(),
  title: z.string(),
  locality: z.enum(LOCALITIES),
};

export const askEvidenceResource = z.strictObject({
  localities: z.array(z.enum(LOCALITIES)),
  neighbourhoods: z.array(z.string()),
  peopleAffected: count,
  breaches: count,
  barriers: z.array(
    z.strictObject({
      ...barrierSummary,
      status: z.enum(BARRIER_STATUSES),
      peopleAffected: count.nullable(),
      openForMs: count,
      breaches: count,
    }),
  ),
});

export const askResourceSchema = z.strictObject({
  id: askId,
  reference: z.string(),
  title: z.string(),
  department: z.enum(DEPARTMENT_SLUGS as [string, ...string[]]),
  departmentName: z.string(),
  ask: z.string(),
  status: z.enum(ASK_STATUSES),
  owner: person,
  createdBy: z.string(),
  createdAt: instant,
  barrierIds: z.array(barrierId),
  submittedAt: when,
  responseDueAt: when,
  chasers: count,
  nextChaseAt: when,
  outcome: z.enum(ASK_OUTCOMES).nullable(),
  response: z.string().nullable(),
  respondedAt: when,
  evidence: askEvidenceResource.nullable(),
});

export const askDetailResourceSchema = askResourceSchema.extend({
  barriers: z.array(
    z.strictObject({
      ...barrierSummary,
      neighbourhood: z.string(),
      stage: z.enum(STAGES),
      status: z.enum(BARRIER_STATUSES),
    }),
  ),
  timeline: z.array(
    z.strictObject({
      seq: z.int().min(1),
      at: instant,
      type: z.string(),
      actor: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const askListResource = z.strictObject({ items: z.array(askResourceSchema) });

const directoryPerson = z
  .strictObject({ email: z.string(), name: z.string(), available: z.boolean() })
  .nullable();
export const localitiesResource = z.strictObject({
  items: z.array(
    z.strictObject({
      slug: z.enum(LOCALITIES),
      name: z.string(),
      leads: z.array(directoryPerson),
      specialists: z.array(
        z.strictObject({ category: z.enum(CATEGORIES), person: directoryPerson }),
      ),
      neighbourhoods: z.array(
        z.strictObject({
          slug: z.string(),
          name: z.string(),
          lead: directoryPerson,
          deputy: directoryPerson,
        }),
      ),
    }),
  ),
});

export const personResourceSchema = z.strictObject({
  email: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  locality: z.enum(LOCALITIES).nullable(),
  neighbourhood: z.string().nullable(),
  available: z.boolean(),
  delivery: z.enum(DELIVERY_PREFERENCES).optional(),
  kind: z.enum(PERSON_KINDS).optional(),
  clientId: z.string().nullable().optional(),
});
export const peopleResource = z.strictObject({ items: z.array(personResourceSchema) });

export const auditLogResource = z.strictObject({
  items: z.array(
    z.strictObject({
      at: z.string(),
      actor: z.string(),
      action: z.string(),
      target: z.string(),
      before: z.unknown(),
      after: z.unknown(),
      via: z.enum(['api', 'pages']),
    }),
  ),
});

export const followersResource = z.strictObject({
  following: z.boolean(),
  items: z.array(z.strictObject({ email: z.string(), name: z.string() })),
});

export const savedResource = z.strictObject({ ok: z.literal(true) });

export const policyVersionResource = z.strictObject({
  id: z.string(),
  version: z.int().min(1),
  createdAt: instant,
  createdBy: z.string(),
  policy: policySchema,
});
export const policyListResource = z.strictObject({ items: z.array(policyVersionResource) });
export const policyCreatedResource = z.strictObject({
  id: z.string(),
  version: z.int().min(1),
  policy: policySchema,
});

/** A move of open barriers from one policy version to another, and how far it has got. */
export const policyMoveResource = z.strictObject({
  id: z.string(),
  policyId: z.string(),
  from: z.int().min(1),
  to: z.int().min(1),
  status: z
    .enum(['moving', 'done'])
    .describe('`moving` while its workflow runs; `done` once every barrier was processed.'),
  startedBy: z.string(),
  startedAt: instant,
  finishedAt: when,
  changes: z.array(z.string()).describe('The targets that change, `stage target: from → to`.'),
  total: count.describe('Open barriers on `from` when the move started.'),
  done: count.describe('Barriers processed so far.'),
  migrated: z.array(z.string()).describe('Barriers moved so far.'),
  skipped: z
    .array(z.strictObject({ id: z.string(), reason: z.string() }))
    .describe('Barriers not moved, because they closed or changed meanwhile, and why.'),
});

export const preferencesResource = z.strictObject({
  delivery: z.enum(DELIVERY_PREFERENCES),
  alwaysImmediate: z.array(z.enum(MESSAGE_KINDS)),
});

export const importResource = z.strictObject({
  id: z.string().regex(importIdPattern),
  filename: z.string(),
  uploadedBy: z.string(),
  uploadedAt: instant,
  status: z
    .enum(['checked', 'importing', 'done'])
    .describe('`checked`: the dry run passed and nothing is created until it is started.'),
  rows: count.describe('Barriers in the file.'),
  alreadyImported: count.describe(
    'Rows an earlier import already made into barriers, when checked.',
  ),
  progress: z.strictObject({
    done: count.describe('Rows processed so far.'),
    created: count,
    skipped: count.describe('Rows skipped because an earlier import already made them.'),
  }),
  startedBy: z.string().nullable(),
  startedAt: when,
  finishedAt: when,
});

/** Where an ask stands on the open register, and what publishing it now would publish. */
export const publicationResource = z.strictObject({
  askId,
  status: z
    .enum(['not-published', 'published', 'withdrawn'])
    .describe('`withdrawn`: published once and taken down since.'),
  publishedVersion: z.int().min(1).nullable(),
  firstPublishedAt: instant.nullable(),
  publishedAt: instant.nullable(),
  withdrawnAt: instant.nullable(),
  url: z.string().nullable().describe('Its page on the open register while it is published.'),
  history: z.array(
    z.strictObject({
      type: z.enum(['published', 'updated', 'withdrawn']),
      at: instant,
      by: z.string(),
      version: z.int().min(1),
    }),
  ),
  preview: publicRecordResource
    .nullable()
    .describe(
      'What publishing now would make public; null for a draft, which cannot be published.',
    ),
  previewVersion: z
    .int()
    .min(1)
    .nullable()
    .describe('The event of the ask’s history the preview was made at.'),
  previewTag: z
    .string()
    .nullable()
    .describe(
      'Send this as `previewTag` to publish exactly the preview; it changes with any new event on the ask or its barriers.',
    ),
  publishable: z.strictObject({ ok: z.boolean(), reason: z.string().nullable() }),
});
