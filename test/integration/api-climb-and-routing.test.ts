/**
 * A 24x7 policy of seconds from SLA_POLICY_FILE drives the automatic climb
 * neighbourhood → locality → gmca, seen through the API; routing follows the
 * directory as an admin changes it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { loadConfig } from '../../config.ts';
import { loadPolicyFile } from '../../store/policy-store.ts';
import type { TestApi } from '../support/api.ts';
import { admin, gmcaTeam, localityLead, neighbourhood } from '../support/people.ts';
import { fastPolicy } from '../support/policies.ts';
import { stackTest } from '../support/fixtures.ts';
import type { TestStack } from '../support/stack.ts';

// The same path server/main.ts takes: the variable names the file, the file becomes the default.
const policyFile = join(mkdtempSync(join(tmpdir(), 'gt-policy-')), 'policy.json');
writeFileSync(policyFile, JSON.stringify(fastPolicy(4)));
const config = loadConfig({ SLA_POLICY_FILE: policyFile });
const it = stackTest('climb', { api: { policy: loadPolicyFile(config.slaPolicyFile!) } });
let stack: TestStack;
let api: TestApi;
let lead: string;
let adminToken: string;

it.beforeAll(async ({ stack: s, api: a }) => {
  [stack, api] = [s, a];
  lead = await api.token(localityLead('wigan'));
  adminToken = await api.token(admin());
});
const body = (neighbourhoodSlug: string, category = 'workforce') => ({
  title: `Agency staff cannot work across ${neighbourhoodSlug}`,
  description: 'Contracts forbid it.',
  locality: 'wigan',
  neighbourhood: neighbourhoodSlug,
  category,
});

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v).slice(0, 500)}`);
    await sleep(200);
  }
}

describe('the automatic climb', () => {
  it('climbs neighbourhood → locality → gmca on breach and stops there', async () => {
    const raised = await api.call('POST', '/api/v1/barriers', { token: lead, body: body('leigh') });
    expect(raised.status).toBe(201);
    expect(raised.body.policyVersion).toEqual({ id: 'test-fast', version: 1 });
    expect(raised.body.sla.calendar).toBe('24x7');
    const id = raised.body.id as string;
    const get = async () => (await api.call('GET', `/api/v1/barriers/${id}`, { token: lead })).body;
    const atGmca = await waitFor(
      'gmca',
      get,
      (b) =>
        b.stage === 'gmca' &&
        b.timeline.some(
          (e: { type: string; stage: string }) => e.type === 'breached' && e.stage === 'gmca',
        ),
    );
    const seen = atGmca.timeline.map(
      (e: { type: string; stage: string }) => `${e.type}:${e.stage}`,
    );
    // Exactly this up to the first breach at gmca; there the resolve clock runs on.
    expect(seen.slice(0, 15)).toEqual([
      'raised:neighbourhood',
      'routed:neighbourhood',
      'warning:neighbourhood',
      'warning:neighbourhood',
      'breached:neighbourhood',
      'escalated:locality',
      'routed:locality',
      'warning:locality',
      'warning:locality',
      'breached:locality',
      'escalated:gmca',
      'routed:gmca',
      'warning:gmca',
      'warning:gmca',
      'breached:gmca',
    ]);
    expect(gmcaTeam()).toContain(atGmca.owner.email);
    expect(atGmca.sla.breached).toBe(true);
    // The read model's filters see it.
    const breached = await api.call('GET', '/api/v1/barriers?stage=gmca&breached=true', {
      token: lead,
    });
    expect(breached.body.items.map((b: { id: string }) => b.id)).toContain(id);
    await sleep(3000);
    const later = await get();
    expect(later.stage).toBe('gmca');
    expect(later.timeline.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(2);
  });

  it('stops warning the moment someone acknowledges', async () => {
    const raised = await api.call('POST', '/api/v1/barriers', {
      token: lead,
      body: body('hindley-and-abram'),
    });
    const id = raised.body.id as string;
    await api.call('POST', `/api/v1/barriers/${id}/actions`, {
      token: lead,
      body: { type: 'acknowledge' },
    });
    await api.call('POST', `/api/v1/barriers/${id}/actions`, {
      token: lead,
      body: { type: 'request-info', reason: 'awaiting-third-party', question: 'q' },
    });
    await sleep(5000);
    const b = (await api.call('GET', `/api/v1/barriers/${id}`, { token: lead })).body;
    expect(b.timeline.map((e: { type: string }) => e.type)).toEqual([
      'raised',
      'routed',
      'acknowledged',
      'info-requested',
    ]);
    expect(b.stage).toBe('neighbourhood');
  });
});

describe('routing follows the directory', () => {
  it('uses the deputy when the lead is unavailable, a category specialist when set, the locality lead when nobody is assigned', async () => {
    const hood = neighbourhood('wigan', 'wigan-north');
    const lead0 = (await stack.store.models.Person.findById(hood.lead).lean())!;
    expect(
      (
        await api.call('PUT', `/api/v1/people/${hood.lead}`, {
          token: adminToken,
          body: {
            name: lead0.name,
            roles: ['neighbourhood-lead'],
            locality: 'wigan',
            neighbourhood: 'wigan-north',
            available: false,
          },
        })
      ).status,
    ).toBe(200);
    const toDeputy = await api.call('POST', '/api/v1/barriers', {
      token: lead,
      body: body('wigan-north'),
    });
    expect(toDeputy.body.owner).toMatchObject({
      email: hood.deputy,
      reason: 'neighbourhood-deputy',
    });
    expect(toDeputy.body.timeline[1]).toMatchObject({
      type: 'routed',
      details: { reason: 'neighbourhood-deputy' },
    });

    const specialist = 'digital.specialist@example.org';
    await api.call('PUT', `/api/v1/people/${specialist}`, {
      token: adminToken,
      body: { name: 'Dee Specialist', roles: [], locality: 'wigan' },
    });
    expect(
      (
        await api.call('PUT', '/api/v1/localities/wigan/assignments', {
          token: adminToken,
          body: { specialists: [{ category: 'digital', email: specialist }] },
        })
      ).status,
    ).toBe(200);
    const toSpecialist = await api.call('POST', '/api/v1/barriers', {
      token: lead,
      body: body('wigan-north', 'digital'),
    });
    expect(toSpecialist.body.owner).toMatchObject({
      email: specialist,
      reason: 'category-specialist',
    });

    expect(
      (
        await api.call('PUT', '/api/v1/localities/wigan/neighbourhoods/leigh/assignments', {
          token: adminToken,
          body: { lead: null, deputy: null },
        })
      ).status,
    ).toBe(200);
    const toLocality = await api.call('POST', '/api/v1/barriers', {
      token: lead,
      body: body('leigh'),
    });
    expect(toLocality.body.owner).toMatchObject({
      email: localityLead('wigan').sub,
      reason: 'locality-lead',
    });

    const dir = await api.call('GET', '/api/v1/localities', { token: lead });
    const wigan = dir.body.items.find((l: { slug: string }) => l.slug === 'wigan');
    expect(wigan.neighbourhoods.find((n: { slug: string }) => n.slug === 'leigh')).toMatchObject({
      lead: null,
      deputy: null,
    });
    expect(
      wigan.neighbourhoods.find((n: { slug: string }) => n.slug === 'wigan-north').lead,
    ).toMatchObject({ email: hood.lead, available: false });
    expect(dir.body.items).toHaveLength(10);
  });

  it('lets only admins change the directory or read policies', async () => {
    expect(
      (
        await api.call('PUT', '/api/v1/localities/wigan/assignments', {
          token: lead,
          body: { leads: [localityLead('wigan').sub] },
        })
      ).status,
    ).toBe(403);
    expect((await api.call('GET', '/api/v1/policies', { token: lead })).status).toBe(403);
    const policies = await api.call('GET', '/api/v1/policies', { token: adminToken });
    expect(
      policies.body.items.map((p: { id: string; version: number }) => `${p.id}@${p.version}`),
    ).toEqual(expect.arrayContaining(['test-fast@1', 'default@1']));
    const stale = await api.call('POST', '/api/v1/policies', {
      token: adminToken,
      body: fastPolicy(4, 1),
    });
    expect(stale.status).toBe(409);
  });
});
