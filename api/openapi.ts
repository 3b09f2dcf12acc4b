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
import { askActionSchema, listAsksQuerySchema } from '../domain/ask/schemas.ts';
import { policySchema } from '../domain/policy/policy.ts';
import {
  CATEGORIES,
  FOCUS_AREAS,
  GM_MODEL_FEATURES,
  LOCALITIES,
  STAGES,
} from '../domain/reference-data.ts';
import {
  localityAssignmentsSchema,
  neighbourhoodAssignmentsSchema,
  personSchema,
  preferencesSchema,
} from '../domain/directory/schemas.ts';
import { listBarriersQuerySchema, triageQuerySchema } from './schemas.ts';

const schema = (s: z.ZodType) =>
  z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

const problem = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problem } },
});
const errors = {
  400: problemResponse(
    'Invalid input: `errors` lists each field and the reason. Nothing was changed.',
  ),
  401: problemResponse('Missing, invalid or expired token.'),
  403: problemResponse('Your role or scope does not allow this.'),
  404: problemResponse('Not found, or not visible to you.'),
  503: problemResponse('Temporal or the database is unavailable.'),
};
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

export function openApiDocument() {
  const idParam = {
    name: 'id',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^GT-\\d{4,}$' },
    example: 'GT-0042',
  };
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
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
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
        Barrier: {
          type: 'object',
          description:
            'A barrier: details, stage, status, owner, policy version, SLA clocks and (on single reads) its timeline.',
        },
      },
    },
    paths: {
      '/barriers': {
        post: {
          summary: 'Raise a barrier',
          description:
            'Starts its workflow, routes it to the neighbourhood lead and returns it. Send an `Idempotency-Key` header to make retries safe: the same key and body return the same barrier; the same key with another body is 409.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 200 },
            },
          ],
          requestBody: { required: true, content: json('RaiseBarrier') },
          responses: {
            201: { description: 'Raised and routed.', content: json('Barrier') },
            409: problemResponse('Idempotency-Key reused with another body.'),
            ...errors,
          },
        },
        get: {
          summary: 'List barriers you can see',
          parameters: queryParameters(listBarriersQuerySchema),
          responses: {
            200: {
              description: 'A page of barriers and the cursor of the next page (null at the end).',
            },
            ...errors,
          },
        },
      },
      '/barriers/{id}': {
        get: {
          summary: 'One barrier with its SLA and timeline',
          parameters: [idParam],
          responses: { 200: { description: 'The barrier.', content: json('Barrier') }, ...errors },
        },
      },
      '/barriers/{id}/actions': {
        post: {
          summary: 'Act on a barrier',
          parameters: [idParam],
          requestBody: { required: true, content: json('BarrierAction') },
          responses: {
            200: { description: 'Done; the barrier as it is now.', content: json('Barrier') },
            422: problemResponse('Not allowed in its current state; `detail` says why.'),
            ...errors,
          },
        },
      },
      '/localities': {
        get: {
          summary: 'Localities, neighbourhoods and current leads',
          responses: { 200: { description: 'The directory.' }, ...errors },
        },
      },
      '/localities/{locality}/assignments': {
        put: {
          summary: 'Set locality leads and category specialists (admin)',
          requestBody: { required: true, content: json('LocalityAssignments') },
          responses: { 200: { description: 'Saved.' }, ...errors },
        },
      },
      '/localities/{locality}/neighbourhoods/{neighbourhood}/assignments': {
        put: {
          summary: "Set a neighbourhood's lead and deputy (admin)",
          requestBody: { required: true, content: json('NeighbourhoodAssignments') },
          responses: { 200: { description: 'Saved.' }, ...errors },
        },
      },
      '/people': {
        get: {
          summary: 'People in the directory (admin)',
          responses: { 200: { description: 'People.' }, ...errors },
        },
      },
      '/people/{email}': {
        put: {
          summary: 'Add or change a person, including availability (admin)',
          requestBody: { required: true, content: json('Person') },
          responses: { 200: { description: 'Saved.' }, ...errors },
        },
      },
      '/triage': {
        get: {
          summary:
            'GMCA triage queue: barriers at gmca, breached first, then nearest deadline, people affected, localities sharing; with likely duplicates (gmca-triage, admin)',
          parameters: queryParameters(triageQuerySchema),
          responses: { 200: { description: 'The queue.' }, ...errors },
        },
      },
      '/asks': {
        get: {
          summary:
            'The Whitehall asks register (GMCA sees all; leads see asks bundling their barriers); `format=csv` for a spreadsheet',
          parameters: queryParameters(listAsksQuerySchema),
          responses: {
            200: {
              description: 'Asks, as JSON or CSV.',
              content: { 'application/json': {}, 'text/csv': {} },
            },
            ...errors,
          },
        },
        post: {
          summary: 'Create a draft ask bundling barriers at gmca (gmca-triage, admin)',
          requestBody: { required: true, content: json('NewAsk') },
          responses: {
            201: { description: 'Created; the barriers are promoted to whitehall.' },
            422: problemResponse('A barrier is not open at gmca, or already in an ask.'),
            ...errors,
          },
        },
      },
      '/asks/{id}': {
        get: {
          summary: 'An ask with its evidence, barriers and timeline',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'The ask.' }, ...errors },
        },
      },
      '/asks/{id}/actions': {
        post: {
          summary:
            'add-barrier, remove-barrier (draft), submit, chase, record-response, withdraw (gmca-triage, admin)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json('AskAction') },
          responses: {
            200: { description: 'The ask after the action.' },
            422: problemResponse('Its state does not allow that now.'),
            ...errors,
          },
        },
      },
      '/me/preferences': {
        get: {
          summary: 'How you want non-urgent emails (breaches and escalations always come at once)',
          responses: { 200: { description: 'Your preference.' }, ...errors },
        },
        put: {
          summary: 'Choose immediate emails or the daily digest',
          requestBody: { required: true, content: json('Preferences') },
          responses: { 200: { description: 'Saved.' }, ...errors },
        },
      },
      '/policies': {
        get: {
          summary: 'SLA policy versions (admin)',
          responses: { 200: { description: 'Every version.' }, ...errors },
        },
        post: {
          summary: 'Add a policy version (admin)',
          requestBody: { required: true, content: json('Policy') },
          responses: {
            201: { description: 'Added.' },
            409: problemResponse('That version exists or is not newer.'),
            ...errors,
          },
        },
      },
    },
  };
}
