/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate
 * requests, so the two cannot drift apart.
 */
import { z } from 'zod';
import {
  barrierActionSchema,
  newAskSchema,
  raiseBarrierSchema,
} from '../domain/barrier/schemas.ts';
import { askActionSchema, listAsksQuerySchema, publishAskSchema } from '../domain/ask/schemas.ts';
import {
  openRegisterQuerySchema,
  openRegisterResource,
} from '../services/open-register/open-data.ts';
import { OPEN_LICENCE } from '../services/open-register/public-ask.ts';
import {
  PACK_FORMATS,
  PACK_MEDIA_TYPES,
  evidencePackQuerySchema,
} from '../domain/ask/pack-formats.ts';
import { policySchema } from '../domain/policy/policy.ts';
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from '../domain/webhooks/events.ts';
import {
  deliveriesQuerySchema,
  deliveryIdSchema,
  newWebhookSchema,
  webhookChangeSchema,
  webhookIdSchema,
  webhookPauseSchema,
  webhookResumeSchema,
} from '../domain/webhooks/schemas.ts';
import {
  deliveryListResource,
  deliveryResource,
  webhookListResource,
  webhookResource,
  webhookWithSecretResource,
} from './webhook-resources.ts';
import { auditFilterSchema } from '../services/audit.ts';
import { MAX_IMPORT_SIZE } from '../services/imports.ts';
import {
  CATEGORIES,
  FOCUS_AREAS,
  GM_MODEL_FEATURES,
  LOCALITIES,
  STAGES,
} from '../domain/reference-data.ts';
import {
  localityAssignmentsSchema,
  localitySlugSchema,
  neighbourhoodAssignmentsSchema,
  personEmailSchema,
  personSchema,
  preferencesSchema,
  slugSchema,
} from '../domain/directory/schemas.ts';
import {
  askIdSchema,
  barrierIdSchema,
  importFilenameSchema,
  importIdSchema,
  listBarriersQuerySchema,
  policyMoveIdSchema,
  policyMoveSchema,
  triageQuerySchema,
} from './schemas.ts';
import {
  askDetailResourceSchema,
  askListResource,
  barrierListResource,
  barrierResourceSchema,
  localitiesResource,
  peopleResource,
  auditLogResource,
  followersResource,
  importResource,
  personResourceSchema,
  policyCreatedResource,
  policyListResource,
  policyMoveResource,
  publicationResource,
  preferencesResource,
  savedResource,
  triageResource,
} from './resources.ts';

/**
 * Where zod emits both `format: email` and the pattern it checks, the pattern is
 * the rule: a client's idea of the email format may differ from what is accepted.
 */
function patternOverFormat(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(patternOverFormat);
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keep = Object.entries(o).filter(
    ([k]) => !(k === 'format' && o.format === 'email' && typeof o.pattern === 'string'),
  );
  return Object.fromEntries(keep.map(([k, x]) => [k, patternOverFormat(x)]));
}
const schema = (s: z.ZodType) =>
  patternOverFormat(
    z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
  ) as Record<string, unknown>;
/** A response's schema: what the code sends (outputs), from the resource schemas. */
const output = (s: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'any',
  });
  return rest;
};

const problem = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problem } },
});
const errors = {
  400: problemResponse(
    'Invalid input: `errors` lists each field and the reason. Nothing was changed.',
  ),
  401: problemResponse(
    "Missing, invalid or expired token: an access token from the organisation's OpenID provider (or, outside production, a development token).",
  ),
  403: problemResponse(
    'Your role or scope does not allow this, or (`no-access`) the directory does not let you in: unknown, or without a role.',
  ),
  404: problemResponse('Not found, or not visible to you.'),
  429: {
    ...problemResponse(
      'More requests a minute than the limit (per person, or per address without a valid credential).',
    ),
    headers: {
      'Retry-After': {
        description: 'Seconds until the limit resets.',
        schema: { type: 'integer' },
      },
    },
  },
  503: problemResponse('Temporal, the database or the sign-in provider is unavailable.'),
};
/** What a request with a body may also get. */
const bodyErrors = {
  413: problemResponse('The body is larger than 100 kB.'),
  415: problemResponse('The body is not JSON, or its encoding is not supported.'),
};
/** A 2xx answer with a resource schema from components. */
const ok = (description: string, ref: string, headers?: Record<string, unknown>) => ({
  description,
  content: json(ref),
  ...(headers ? { headers } : {}),
});
const location = (what: string) => ({
  Location: { description: `The URL of ${what}.`, schema: { type: 'string' } },
});
/** A path parameter. */
const pathParam = (name: string, s: z.ZodType, example: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: schema(s),
  example,
});
const json = (ref: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${ref}` } },
});

/** Query parameters from an object schema. */
function queryParameters(s: z.ZodObject) {
  const js = schema(s) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, sch]) => ({
    name,
    in: 'query',
    required: false,
    schema: sch,
  }));
}

/**
 * The open register's files: for anyone, no credential, at /open on the
 * site's root (each path names its server) and also under /api/v1/open.
 */
function openRegisterPaths() {
  const open = {
    servers: [{ url: '/', description: 'The site root: the open register is at /open.' }],
  };
  const licence = `Under the ${OPEN_LICENCE.name} (${OPEN_LICENCE.url}).`;
  const polling = {
    ETag: { description: 'Changes when the answer does.', schema: { type: 'string' } },
    'Last-Modified': {
      description: 'The last publication or withdrawal.',
      schema: { type: 'string' },
    },
  };
  const openErrors = {
    400: errors[400],
    429: errors[429],
    503: errors[503],
  };
  return {
    '/open/asks.json': {
      ...open,
      get: {
        summary: 'The open register: every Whitehall ask GMCA has published, as JSON (anyone)',
        description: `${licence} Filter by department, outcome (\`awaiting\` for none yet), year submitted and words. Send If-None-Match or If-Modified-Since to poll cheaply (304).`,
        security: [],
        parameters: queryParameters(openRegisterQuerySchema),
        responses: {
          200: { ...ok('The published asks.', 'OpenRegister'), headers: polling },
          304: { description: 'Unchanged since the ETag or date you sent.' },
          ...openErrors,
        },
      },
    },
    '/open/asks.csv': {
      ...open,
      get: {
        summary: 'The open register as CSV, for a spreadsheet (anyone)',
        description: `${licence} Each row states the licence. The same filters as the JSON.`,
        security: [],
        parameters: queryParameters(openRegisterQuerySchema),
        responses: {
          200: {
            description: 'The published asks, one a row.',
            headers: polling,
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          304: { description: 'Unchanged since the ETag or date you sent.' },
          ...openErrors,
        },
      },
    },
    '/open/asks.atom': {
      ...open,
      get: {
        summary: 'An Atom feed of newly published asks and their outcomes (anyone)',
        description: `${licence} One entry each time an ask is published or its update (such as the department's answer) is.`,
        security: [],
        responses: {
          200: {
            description: 'The feed.',
            headers: polling,
            content: { 'application/atom+xml': { schema: { type: 'string' } } },
          },
          304: { description: 'Unchanged since the ETag or date you sent.' },
          ...openErrors,
        },
      },
    },
  };
}

/** /webhooks (admin): subscriptions, secrets, the delivery log. */
function webhookPaths() {
  const id = pathParam('id', webhookIdSchema, 'WH-0A1B2C3D', 'A webhook subscription.');
  const delivery = pathParam(
    'delivery',
    deliveryIdSchema,
    'msg_0123456789abcdefghijklmnopq',
    'A delivery: the `webhook-id` it is sent with.',
  );
  const types = WEBHOOK_EVENT_TYPES.map((t) => `\`${t}\` (${WEBHOOK_EVENT_DESCRIPTIONS[t]})`).join(
    '; ',
  );
  const body = (ref: string) => ({ required: true, content: json(ref) });
  return {
    '/webhooks': {
      get: {
        summary: 'Webhook subscriptions (admin)',
        responses: { 200: ok('Every subscription.', 'WebhookList'), ...errors },
      },
      post: {
        summary: 'Add a webhook subscription (admin); its signing secret is in the answer, once',
        description: `Deliveries follow the Standard Webhooks specification: a POST of JSON with \`webhook-id\`, \`webhook-timestamp\` and \`webhook-signature\` headers. Event types: ${types}.`,
        requestBody: body('NewWebhook'),
        responses: {
          201: ok('Added.', 'WebhookWithSecret', location('the subscription')),
          ...errors,
          ...bodyErrors,
        },
      },
    },
    '/webhooks/{id}': {
      get: {
        summary: 'A webhook subscription (admin)',
        parameters: [id],
        responses: { 200: ok('The subscription.', 'Webhook'), ...errors },
      },
      patch: {
        summary: 'Change its name, URL, event types or locality (admin)',
        parameters: [id],
        requestBody: body('WebhookChange'),
        responses: { 200: ok('Changed.', 'Webhook'), ...errors, ...bodyErrors },
      },
      delete: {
        summary: 'Delete a subscription and its delivery log (admin)',
        parameters: [id],
        responses: { 200: ok('Deleted.', 'Saved'), ...errors },
      },
    },
    '/webhooks/{id}/pause': {
      post: {
        summary: 'Pause deliveries (admin): events are kept for when it resumes',
        parameters: [id],
        requestBody: { required: false, content: json('WebhookPause') },
        responses: { 200: ok('Paused.', 'Webhook'), ...errors, ...bodyErrors },
      },
    },
    '/webhooks/{id}/resume': {
      post: {
        summary:
          'Resume a paused or disabled subscription (admin), sending the events it missed in order or dropping them',
        parameters: [id],
        requestBody: body('WebhookResume'),
        responses: {
          200: ok('Resumed.', 'Webhook'),
          422: problemResponse('It is already active.'),
          ...errors,
          ...bodyErrors,
        },
      },
    },
    '/webhooks/{id}/rotate-secret': {
      post: {
        summary:
          'A new signing secret (admin), shown once; the old one keeps signing for the overlap (WEBHOOK_SECRET_OVERLAP_HOURS)',
        parameters: [id],
        responses: { 200: ok('Rotated.', 'WebhookWithSecret'), ...errors },
      },
    },
    '/webhooks/{id}/deliveries': {
      get: {
        summary: 'The delivery log, newest first (admin)',
        parameters: [id, ...queryParameters(deliveriesQuerySchema)],
        responses: { 200: ok('Deliveries.', 'WebhookDeliveries'), ...errors },
      },
    },
    '/webhooks/{id}/deliveries/{delivery}/redeliver': {
      post: {
        summary: 'Send one event again, with the same webhook-id (admin)',
        parameters: [id, delivery],
        responses: {
          202: ok('Queued to be sent again.', 'WebhookDelivery'),
          422: problemResponse('The event is older than the delivery log keeps.'),
          ...errors,
        },
      },
    },
  };
}

export function openApiDocument() {
  const idParam = pathParam('id', barrierIdSchema, 'GT-0042', 'A barrier reference.');
  const askParam = pathParam('id', askIdSchema, 'ASK-0007', 'A Whitehall ask reference.');
  const importParam = pathParam('id', importIdSchema, 'IMP-0001', 'An import reference.');
  const localityParam = pathParam('locality', localitySlugSchema, 'wigan', 'A locality slug.');
  const neighbourhoodParam = pathParam(
    'neighbourhood',
    slugSchema,
    'leigh',
    'A neighbourhood slug within the locality.',
  );
  const emailParam = pathParam(
    'email',
    personEmailSchema,
    'leah.walsh@example.org',
    "A person's email address, their id in the directory.",
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Golden Thread API',
      version: '1.0.0',
      description: [
        "Raise, route, escalate and track barriers to integrated public services across Greater Manchester's ten localities.",
        '',
        `Localities: ${LOCALITIES.join(', ')}. Stages: ${STAGES.join(' → ')}.`,
        `Categories: ${CATEGORIES.join(', ')}. Focus areas: ${FOCUS_AREAS.join(', ')}. GM Model features: ${GM_MODEL_FEATURES.join(', ')}.`,
        '',
        'Unknown fields in a body are rejected with 400 (never silently dropped). Times are ISO 8601 UTC; SLA targets are measured in the policy calendar (working hours 09:00–17:00 Europe/London, England & Wales bank holidays excluded).',
      ].join('\n'),
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "An access token from the organisation's OpenID provider (outside production, also a development token). It proves who is calling; the directory decides what they may do. Someone holding several roles acts in their first unless the request sends `Acting-As: <role>` naming another they hold (403 `no-access` otherwise).",
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details.',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, reason: { type: 'string' } },
              },
            },
          },
          required: ['type', 'title', 'status', 'detail'],
        },
        RaiseBarrier: schema(raiseBarrierSchema),
        BarrierAction: schema(barrierActionSchema),
        Policy: schema(policySchema),
        NeighbourhoodAssignments: schema(neighbourhoodAssignmentsSchema),
        LocalityAssignments: schema(localityAssignmentsSchema),
        Person: schema(personSchema),
        Preferences: schema(preferencesSchema),
        NewAsk: schema(newAskSchema),
        AskAction: schema(askActionSchema),
        Barrier: output(barrierResourceSchema),
        BarrierList: output(barrierListResource),
        TriageQueue: output(triageResource),
        Ask: output(askDetailResourceSchema),
        AskList: output(askListResource),
        PublishAsk: schema(publishAskSchema),
        Publication: output(publicationResource),
        OpenRegister: output(openRegisterResource),
        Localities: output(localitiesResource),
        PersonSaved: output(personResourceSchema),
        People: output(peopleResource),
        AuditLog: output(auditLogResource),
        Followers: output(followersResource),
        Import: output(importResource),
        Saved: output(savedResource),
        PolicyVersions: output(policyListResource),
        PolicyCreated: output(policyCreatedResource),
        PolicyMoveRequest: schema(policyMoveSchema),
        PolicyMove: output(policyMoveResource),
        PreferencesView: output(preferencesResource),
        NewWebhook: schema(newWebhookSchema),
        WebhookChange: schema(webhookChangeSchema),
        WebhookPause: schema(webhookPauseSchema),
        WebhookResume: schema(webhookResumeSchema),
        Webhook: output(webhookResource),
        WebhookList: output(webhookListResource),
        WebhookWithSecret: output(webhookWithSecretResource),
        WebhookDelivery: output(deliveryResource),
        WebhookDeliveries: output(deliveryListResource),
      },
    },
    paths: {
      '/barriers': {
        post: {
          summary: 'Raise a barrier',
          description:
            'Starts its workflow, routes it to the neighbourhood lead and returns it. Send an `Idempotency-Key` header to make retries safe: the same key and body return the same barrier; the same key with another body is 409. Locality leads raise in their own locality; the neighbourhood must be one of that locality (checked against the directory).',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                '1–200 visible ASCII characters, chosen by the client, one per new barrier.',
              schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
            },
          ],
          requestBody: { required: true, content: json('RaiseBarrier') },
          responses: {
            201: ok('Raised and routed.', 'Barrier', location('the barrier')),
            409: problemResponse('Idempotency-Key reused with another body.'),
            ...errors,
            ...bodyErrors,
          },
        },
        get: {
          summary: 'List barriers you can see; search with `q`; `format=csv` exports them all',
          description:
            'Leads see their own locality (or neighbourhood) only; asking for another is 403. `cursor` is the `nextCursor` of the previous page. `q` finds barriers whose reference, title or description contain every word (case-insensitive). With `format=csv` the answer is every matching barrier you may see, streamed as CSV (columns in the README).',
          parameters: queryParameters(listBarriersQuerySchema),
          responses: {
            200: {
              description:
                'A page of barriers and the cursor of the next page (null at the end), or (with `format=csv`) every matching barrier as CSV.',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/BarrierList' } },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            ...errors,
          },
        },
      },
      '/barriers/{id}/followers': {
        get: {
          summary: 'Who follows a barrier you can see, and whether you do',
          parameters: [idParam],
          responses: { 200: ok('The followers.', 'Followers'), ...errors },
        },
      },
      '/barriers/{id}/following': {
        put: {
          summary: 'Follow a barrier you can see: its progress is emailed to you (idempotent)',
          description:
            'Followers hear of escalations, returns, merges, Whitehall asks and how it ends, under their delivery preference; never the owner’s reminders.',
          parameters: [idParam],
          responses: { 200: ok('You follow it.', 'Followers'), ...errors },
        },
        delete: {
          summary: 'Stop following a barrier (idempotent)',
          parameters: [idParam],
          responses: { 200: ok('You no longer follow it.', 'Followers'), ...errors },
        },
      },
      '/barriers/{id}': {
        get: {
          summary: 'One barrier with its SLA and timeline',
          parameters: [idParam],
          responses: { 200: ok('The barrier.', 'Barrier'), ...errors },
        },
      },
      '/barriers/{id}/actions': {
        post: {
          summary: 'Act on a barrier',
          description:
            'Which actions a role may take at which stage, and which the barrier’s state allows now, are described in the README. `accept.resolveTarget` is an ISO 8601 duration (`P10D`, `PT4H`) in the policy’s calendar.',
          parameters: [idParam],
          requestBody: { required: true, content: json('BarrierAction') },
          responses: {
            200: ok('Done; the barrier as it is now.', 'Barrier'),
            422: problemResponse('Not allowed in its current state; `detail` says why.'),
            ...errors,
            ...bodyErrors,
          },
        },
      },
      '/localities': {
        get: {
          summary: 'Localities, neighbourhoods and current leads',
          responses: { 200: ok('The directory.', 'Localities'), ...errors },
        },
      },
      '/localities/{locality}/assignments': {
        put: {
          summary: 'Set locality leads and category specialists (admin)',
          description: 'Every email must be a person in the directory already.',
          parameters: [localityParam],
          requestBody: { required: true, content: json('LocalityAssignments') },
          responses: { 200: ok('Saved.', 'Saved'), ...errors, ...bodyErrors },
        },
      },
      '/localities/{locality}/neighbourhoods/{neighbourhood}/assignments': {
        put: {
          summary: "Set a neighbourhood's lead and deputy (admin)",
          description: 'Every email must be a person in the directory already.',
          parameters: [localityParam, neighbourhoodParam],
          requestBody: { required: true, content: json('NeighbourhoodAssignments') },
          responses: { 200: ok('Saved.', 'Saved'), ...errors, ...bodyErrors },
        },
      },
      '/people': {
        get: {
          summary: 'People in the directory (admin)',
          responses: { 200: ok('People.', 'People'), ...errors },
        },
      },
      '/people/{email}': {
        put: {
          summary: 'Add or change a person or a machine client, including availability (admin)',
          description:
            'The neighbourhood, when given, must be one of the locality. A service (`kind: service`) needs the `clientId` its access tokens carry, which no other entry may have.',
          parameters: [emailParam],
          requestBody: { required: true, content: json('Person') },
          responses: {
            200: ok('Saved.', 'PersonSaved'),
            ...errors,
            ...bodyErrors,
            409: problemResponse("The service's client id belongs to another entry."),
          },
        },
      },
      '/imports': {
        post: {
          summary:
            'Check a barrier log to import (the dry run): admin, or a locality lead for their own locality',
          description:
            'The body is the CSV file (columns in the README and the template). Nothing is created: a file with any problem is refused with each one in `errors` (field `rows[<row>].<column>`, rows numbered as a spreadsheet shows them, the header being row 1) and nothing is stored; a clean file becomes an import to start with `POST /imports/{id}/start`. Rows that an earlier import already made are counted in `alreadyImported` and will be skipped.',
          parameters: queryParameters(importFilenameSchema),
          requestBody: {
            required: true,
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          responses: {
            201: ok('Checked: ready to start.', 'Import', location('the import')),
            ...errors,
            413: problemResponse(`The file is larger than ${MAX_IMPORT_SIZE}.`),
            415: bodyErrors[415],
          },
        },
      },
      '/imports/template': {
        get: {
          summary: 'The import template: the header and an example row (admin, locality lead)',
          responses: {
            200: {
              description: 'The template.',
              content: { 'text/csv': { schema: { type: 'string' } } },
            },
            ...errors,
          },
        },
      },
      '/imports/{id}': {
        get: {
          summary: 'An import and its progress (the uploader, or an admin)',
          parameters: [importParam],
          responses: { 200: ok('The import.', 'Import'), ...errors },
        },
      },
      '/imports/{id}/start': {
        post: {
          summary: 'Start a checked import (idempotent: starting it again changes nothing)',
          description:
            'Each row becomes a barrier through the same workflow as a raise, keeping its original raised-on date; its clocks start now. Resolved and withdrawn rows arrive closed, without emails. The import runs in a workflow: follow `progress` with `GET /imports/{id}`.',
          parameters: [importParam],
          responses: {
            202: ok('Started (or already running or done).', 'Import', location('the import')),
            ...errors,
          },
        },
      },
      '/audit': {
        get: {
          summary:
            'Every administrative change, newest first, at most 500 (admin); `format=csv` for a spreadsheet',
          description:
            '`actor` and `action` match exactly, `target` by prefix (such as `person:` or `policy:default@`), `from` and `to` are days, inclusive.',
          parameters: queryParameters(auditFilterSchema),
          responses: {
            200: {
              description: 'Audit entries, as JSON or (with `format=csv`) CSV.',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/AuditLog' } },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            ...errors,
          },
        },
      },
      '/triage': {
        get: {
          summary:
            'GMCA triage queue: barriers at gmca, breached first, then nearest deadline, people affected, localities sharing; with likely duplicates (gmca-triage, admin)',
          parameters: queryParameters(triageQuerySchema),
          responses: {
            200: ok('One page of the queue, most urgent first.', 'TriageQueue'),
            ...errors,
          },
        },
      },
      '/asks': {
        get: {
          summary:
            'The Whitehall asks register (GMCA sees all; leads see asks bundling their barriers); `format=csv` for a spreadsheet',
          parameters: queryParameters(listAsksQuerySchema),
          responses: {
            200: {
              description: 'Asks, as JSON or (with `format=csv`) CSV.',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/AskList' } },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            ...errors,
          },
        },
        post: {
          summary: 'Create a draft ask bundling barriers at gmca (gmca-triage, admin)',
          requestBody: { required: true, content: json('NewAsk') },
          responses: {
            201: ok('Created; the barriers are promoted to whitehall.', 'Ask', location('the ask')),
            422: problemResponse('A barrier is not open at gmca, or already in an ask.'),
            ...errors,
            ...bodyErrors,
          },
        },
      },
      '/asks/{id}': {
        get: {
          summary: 'An ask with its evidence, barriers and timeline',
          parameters: [askParam],
          responses: { 200: ok('The ask.', 'Ask'), ...errors },
        },
      },
      '/asks/{id}/evidence-pack': {
        get: {
          summary:
            'The evidence pack of an ask: the ask, why it matters, the figures (chart and table), the cases, escalation history and chasers, as an editable Word document or a tagged PDF',
          description:
            'Produced from the ask as it stands now; the pack says when it was produced and after which event of the ask’s history. Anyone who may see the ask may download it.',
          parameters: [askParam, ...queryParameters(evidencePackQuerySchema)],
          responses: {
            200: {
              description:
                'The pack as a download (`Content-Disposition: attachment`, named like `ASK-0003-evidence-pack.pdf`).',
              content: Object.fromEntries(
                PACK_FORMATS.map((f) => [
                  PACK_MEDIA_TYPES[f],
                  { schema: { type: 'string', contentMediaType: PACK_MEDIA_TYPES[f] } },
                ]),
              ),
            },
            ...errors,
          },
        },
      },
      '/asks/{id}/publication': {
        get: {
          summary:
            'Where the ask stands on the open register, and a preview of exactly what publishing it now would make public (gmca-triage, admin)',
          parameters: [askParam],
          responses: { 200: ok('Its publication and the preview.', 'Publication'), ...errors },
        },
        put: {
          summary:
            'Publish the ask on the open register exactly as the preview tagged `previewTag` showed it, or publish its update (gmca-triage, admin)',
          description:
            'Publishing is explicit and publishes only what was previewed: 409 when the ask or any of its barriers has changed since that preview (read it again), 422 for a draft. Recorded on the ask and in the audit log.',
          parameters: [askParam],
          requestBody: { required: true, content: json('PublishAsk') },
          responses: {
            200: ok('Published.', 'Publication'),
            409: problemResponse(
              'The ask or one of its barriers has changed since the preview you read.',
            ),
            422: problemResponse('A draft cannot be published.'),
            ...errors,
            ...bodyErrors,
          },
        },
        delete: {
          summary:
            'Withdraw the ask from the open register: its public page then says it was withdrawn, and when (gmca-triage, admin)',
          parameters: [askParam],
          responses: {
            200: ok('Withdrawn.', 'Publication'),
            422: problemResponse('It is not on the open register.'),
            ...errors,
          },
        },
      },
      ...openRegisterPaths(),
      ...webhookPaths(),
      '/asks/{id}/actions': {
        post: {
          summary:
            'add-barrier, remove-barrier (draft), submit, chase, record-response, withdraw (gmca-triage, admin)',
          parameters: [askParam],
          requestBody: { required: true, content: json('AskAction') },
          responses: {
            200: ok('The ask after the action.', 'Ask'),
            422: problemResponse('Its state does not allow that now.'),
            ...errors,
            ...bodyErrors,
          },
        },
      },
      '/me/preferences': {
        get: {
          summary: 'How you want non-urgent emails (breaches and escalations always come at once)',
          responses: { 200: ok('Your preference.', 'PreferencesView'), ...errors },
        },
        put: {
          summary: 'Choose immediate emails or the daily digest',
          requestBody: { required: true, content: json('Preferences') },
          responses: { 200: ok('Saved.', 'PreferencesView'), ...errors, ...bodyErrors },
        },
      },
      '/policies': {
        get: {
          summary: 'SLA policy versions (admin)',
          responses: { 200: ok('Every version.', 'PolicyVersions'), ...errors },
        },
        post: {
          summary: 'Add a policy version (admin)',
          description: 'The version must be higher than every stored version of the policy.',
          requestBody: { required: true, content: json('Policy') },
          responses: {
            201: ok('Added.', 'PolicyCreated', location('the policy versions')),
            409: problemResponse('That version exists or is not newer.'),
            ...errors,
            ...bodyErrors,
          },
        },
      },
      '/policies/moves': {
        post: {
          summary: 'Move the open barriers of one policy version onto another (admin)',
          description:
            'Each open barrier on `from` moves through its own workflow, so its timeline records the move and its deadlines are recalculated under `to`. The move runs in a workflow: follow `done` with `GET /policies/moves/{id}`. Starting a move of a version whose move is under way returns that move.',
          requestBody: { required: true, content: json('PolicyMoveRequest') },
          responses: {
            202: ok('Started (or already under way).', 'PolicyMove', location('the move')),
            ...errors,
            ...bodyErrors,
          },
        },
      },
      '/policies/moves/{id}': {
        get: {
          summary: 'A policy move and its progress (admin)',
          parameters: [
            pathParam(
              'id',
              policyMoveIdSchema,
              'MOVE-0b7e1c52-9d0a-4f5e-8c1b-2a3d4e5f6a7b',
              'A move.',
            ),
          ],
          responses: { 200: ok('The move.', 'PolicyMove'), ...errors },
        },
      },
    },
  };
}
