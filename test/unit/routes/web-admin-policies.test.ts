import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_POLICY, type Policy } from '../../../domain/policy/policy.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../../../services/errors.ts';
import {
  admin,
  appWithAllRoutes,
  fieldValue,
  getPage,
  pageCookie,
  pageCsrf,
  pageErrors,
  postForm,
  signedInAs,
  wiganLead,
} from '../../support/route-harness.ts';

const ID = DEFAULT_POLICY.id;
const stored = (version: number, name = `Standard v${version}`) => ({
  id: ID,
  version,
  createdAt: '2026-10-01T09:00:00.000Z',
  createdBy: 'ada.admin@example.org',
  policy: { ...DEFAULT_POLICY, version, name },
});
/** As the store lists them: newest version first. */
const versions = () => Promise.resolve([stored(2, 'Tighter targets'), stored(1)]);
const reading = {
  defaultPolicy: DEFAULT_POLICY,
  versions,
  openBarrierCounts: () => Promise.resolve(new Map([[`${ID}@2`, 17]])),
};

/** The new-version form as the page posts it: DEFAULT_POLICY as version 3. */
const policyForm = (over: Record<string, string> = {}) => {
  const v = DEFAULT_POLICY;
  const form: Record<string, string> = {
    _csrf: pageCsrf,
    id: v.id,
    version: '3',
    name: 'Version three',
    calendar: v.calendar,
    warnAt: v.warnAt.join(', '),
    reopenWindow: v.reopenWindow,
    'asks-chaseEvery': v.asks.chaseEvery,
    'asks-maxChasers': String(v.asks.maxChasers),
    json: '',
    intent: 'save',
  };
  for (const [s, t] of Object.entries(v.stages)) {
    form[`stages-${s}-acknowledge`] = t.acknowledge;
    form[`stages-${s}-resolve`] = t.resolve;
  }
  return { ...form, ...over };
};

describe('SLA policy versions', () => {
  it('sends someone who is not signed in to sign in', async () => {
    for (const path of ['/admin/policies', '/admin/policies/new', '/admin/policies/migrate']) {
      const res = await request(appWithAllRoutes({})).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });

  it('is a 403 page for a locality lead, adding nothing', async () => {
    const add = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(wiganLead), policies: { ...reading, add } });
    expect((await getPage(app, '/admin/policies')).status).toBe(403);
    expect((await postForm(app, '/admin/policies/new', policyForm())).status).toBe(403);
    expect(add).not.toHaveBeenCalled();
  });

  it('lists the versions with how many open barriers each holds', async () => {
    const openBarrierCounts = vi.fn(reading.openBarrierCounts);
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      policies: { ...reading, openBarrierCounts },
    });
    const res = await getPage(app, '/admin/policies');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Tighter targets');
    expect(res.text).toContain('>17<');
    expect(openBarrierCounts).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      expect.arrayContaining([expect.objectContaining({ version: 2 })]),
    );
  });

  it('offers the next version of the newest one', async () => {
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: reading });
    const res = await getPage(app, '/admin/policies/new');
    expect(res.status).toBe(200);
    expect(fieldValue(res.text, 'version')).toBe('3');
  });

  it('saves a new version and goes back to the list', async () => {
    const add = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, add } });
    const res = await postForm(app, '/admin/policies/new', policyForm());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/policies?done=added');
    const list = await getPage(app, res.headers.location!);
    expect(list.text).toMatch(/govuk-notification-banner--success"[^>]*role="alert"/);
    expect(list.text).toContain('The new version is saved. New barriers use it.');
    expect(list.text).toContain('>Targets</th>');
    const forged = await getPage(app, '/admin/policies?done=constructor');
    expect(forged.text).not.toContain('govuk-notification-banner');
    expect(add).toHaveBeenCalledWith(
      expect.objectContaining(admin.actor),
      'pages',
      expect.objectContaining({ id: ID, version: 3, name: 'Version three' }),
    );
  });

  it('saves an uploaded policy document in place of the fields', async () => {
    const add = vi.fn(() => Promise.resolve());
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, add } });
    const doc: Policy = { ...DEFAULT_POLICY, version: 4, name: 'Uploaded' };
    const res = await request(app)
      .post('/admin/policies/new')
      .set('Cookie', pageCookie)
      .field('_csrf', pageCsrf)
      .field('intent', 'save')
      .attach('upload', Buffer.from(JSON.stringify(doc)), 'policy.json');
    expect(res.status).toBe(303);
    expect(add).toHaveBeenCalledWith(
      expect.anything(),
      'pages',
      expect.objectContaining({ version: 4, name: 'Uploaded' }),
    );
  });

  it('previews the deadlines without saving', async () => {
    const add = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, add } });
    const res = await postForm(app, '/admin/policies/new', policyForm({ intent: 'preview' }));
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="preview"');
    expect(fieldValue(res.text, 'name')).toBe('Version three');
    expect(add).not.toHaveBeenCalled();
  });

  it('shows each bad field, keeps what was typed and saves nothing', async () => {
    const add = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, add } });
    const res = await postForm(
      app,
      '/admin/policies/new',
      policyForm({ name: '', 'stages-locality-resolve': 'soon' }),
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(pageErrors(res.text).fields).toEqual(
      expect.arrayContaining(['name', 'stages-locality-resolve']),
    );
    expect(fieldValue(res.text, 'stages-locality-resolve')).toBe('soon');
    expect(fieldValue(res.text, 'version')).toBe('3');
    expect(add).not.toHaveBeenCalled();
  });

  it('puts pasted JSON that cannot be read on the JSON box, keeping it', async () => {
    const add = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, add } });
    const res = await postForm(app, '/admin/policies/new', policyForm({ json: '{"id": ' }));
    expect(res.status).toBe(400);
    expect(pageErrors(res.text)).toEqual({ summary: ['json'], fields: ['json'] });
    expect(fieldValue(res.text, 'json')?.trim()).toBe('{&quot;id&quot;:');
    expect(add).not.toHaveBeenCalled();
  });

  it('puts an upload that could not be read on the upload field', async () => {
    const add = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, add } });
    const res = await request(app)
      .post('/admin/policies/new')
      .set('Cookie', pageCookie)
      .field('_csrf', pageCsrf)
      .attach('upload', Buffer.alloc(100_001, 32), 'policy.json');
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).fields).toEqual(['upload']);
    expect(add).not.toHaveBeenCalled();
  });

  it('answers a policy upload cut off part-way with a 400 on the upload field, not a 500', async () => {
    const add = vi.fn();
    const app = appWithAllRoutes(
      { ...signedInAs(admin), policies: { ...reading, add } },
      { logger: { debug() {}, info() {}, warn() {}, error() {} } },
    );
    const res = await request(app)
      .post('/admin/policies/new')
      .set('Cookie', pageCookie)
      .set('Content-Type', 'multipart/form-data; boundary=XYZ')
      .send(
        `--XYZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${pageCsrf}\r\n` +
          '--XYZ\r\nContent-Disposition: form-data; name="upload"; filename="p.json"\r\n\r\n{"id"',
      );
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).fields).toEqual(['upload']);
    expect(res.text).toContain('The file could not be read');
    expect(add).not.toHaveBeenCalled();
  });

  it('answers a policy form without a multipart boundary with a 400 page, not a 500', async () => {
    const add = vi.fn();
    const app = appWithAllRoutes(
      { ...signedInAs(admin), policies: { ...reading, add } },
      { logger: { debug() {}, info() {}, warn() {}, error() {} } },
    );
    const res = await request(app)
      .post('/admin/policies/new')
      .set('Cookie', pageCookie)
      .set('Content-Type', 'multipart/form-data')
      .send('--XYZ\r\n');
    expect(res.status).toBe(400);
    expect(res.text).toContain('The file could not be read');
    expect(add).not.toHaveBeenCalled();
  });

  it('refuses a form without its CSRF token and saves nothing', async () => {
    const add = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, add } });
    const { _csrf, ...noToken } = policyForm();
    expect((await postForm(app, '/admin/policies/new', noToken)).status).toBe(403);
    expect(add).not.toHaveBeenCalled();
  });

  it('puts a version that is not newer on the version field, with a 409', async () => {
    const add = () => Promise.reject(new Conflict('Policy is already at version 3.'));
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, add } });
    const res = await postForm(app, '/admin/policies/new', policyForm());
    expect(res.status).toBe(409);
    expect(pageErrors(res.text).fields).toEqual(['version']);
    expect(fieldValue(res.text, 'name')).toBe('Version three');
  });

  it('puts a refusal of pasted JSON on the JSON box', async () => {
    const add = () => Promise.reject(new Forbidden('Only an admin may change SLA policies.'));
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, add } });
    const json = JSON.stringify({ ...DEFAULT_POLICY, version: 5 });
    const res = await postForm(app, '/admin/policies/new', policyForm({ json }));
    expect(res.status).toBe(403);
    expect(pageErrors(res.text).fields).toEqual(['json']);
  });
});

describe('moving open barriers to another policy version', () => {
  const plan = {
    policyId: ID,
    from: 1,
    to: 2,
    barrierIds: ['GT-0001', 'GT-0002'],
    changes: ['neighbourhood resolve: P5D → P3D'],
  };
  const move = { _csrf: pageCsrf, policyId: ID, from: '1', to: '2' };

  it('offers the versions to move between', async () => {
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: reading });
    const res = await getPage(app, '/admin/policies/migrate');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<select[^>]*id="to"[\s\S]*value="2"/);
  });

  it('says what a move would change before making it', async () => {
    const planMigration = vi.fn(() => Promise.resolve(plan));
    const startMove = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      policies: { ...reading, planMigration, startMove },
    });
    const res = await postForm(app, '/admin/policies/migrate/check', move);
    expect(res.status).toBe(200);
    expect(res.text).toContain('P5D → P3D');
    expect(res.text).toContain('action="/admin/policies/migrate"');
    expect(planMigration).toHaveBeenCalledWith(expect.objectContaining(admin.actor), ID, 1, 2);
    expect(startMove).not.toHaveBeenCalled();
  });

  it('puts a move the service refuses on the "to" field, keeping the choices', async () => {
    const planMigration = () =>
      Promise.reject(
        new InvalidInput('Choose two different versions.', [
          { field: 'body.to', reason: 'must differ' },
        ]),
      );
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, planMigration } });
    const res = await postForm(app, '/admin/policies/migrate/check', { ...move, to: '1' });
    expect(res.status).toBe(400);
    expect(pageErrors(res.text)).toEqual({ summary: ['to'], fields: ['to'] });
    expect(res.text).toMatch(/<select[^>]*id="from"[\s\S]*?value="1" selected/);
  });

  it('refuses a form that is not two versions without asking the service', async () => {
    const planMigration = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, planMigration } });
    const res = await postForm(app, '/admin/policies/migrate/check', { ...move, to: 'latest' });
    expect(res.status).toBe(400);
    expect(pageErrors(res.text).fields).toEqual(['to']);
    expect(planMigration).not.toHaveBeenCalled();
  });

  const moving = {
    id: 'MOVE-1',
    policyId: ID,
    from: 1,
    to: 2,
    status: 'moving' as const,
    startedBy: admin.actor.email,
    startedAt: '2026-12-07T10:00:00.000Z',
    finishedAt: null,
    changes: ['neighbourhood resolve: P5D → P3D'],
    total: 3,
    done: 1,
    migrated: ['GT-0001'],
    skipped: [],
  };

  it('starts the move once confirmed and goes to its page', async () => {
    const startMove = vi.fn(() => Promise.resolve(moving));
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      policies: { ...reading, planMigration: () => Promise.resolve(plan), startMove },
    });
    const res = await postForm(app, '/admin/policies/migrate', move);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/policies/moves/MOVE-1');
    expect(startMove).toHaveBeenCalledWith(expect.objectContaining(admin.actor), 'pages', plan);
  });

  it("shows a move's progress while it runs, and as JSON for the page's script", async () => {
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      policies: { ...reading, move: () => Promise.resolve(moving) },
    });
    const page = await getPage(app, '/admin/policies/moves/MOVE-1');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Moving 3 barriers from version 1 to version 2');
    expect(page.text).toMatch(/<progress[^>]*max="3" value="1"/);
    expect(page.text).toContain('1 of 3 barriers processed: 1 moved.');
    const json = await getPage(app, '/admin/policies/moves/MOVE-1/progress');
    expect(json.body).toEqual({
      finished: false,
      done: 1,
      total: 3,
      text: '1 of 3 barriers processed: 1 moved.',
    });
  });

  it('says how many moved once done, and which could not be and why', async () => {
    const done = {
      ...moving,
      status: 'done' as const,
      done: 3,
      finishedAt: '2026-12-07T10:01:00.000Z',
      migrated: ['GT-0001', 'GT-0003'],
      skipped: [{ id: 'GT-0002', reason: 'the barrier is resolved' }],
    };
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      policies: { ...reading, move: () => Promise.resolve(done) },
    });
    const res = await getPage(app, '/admin/policies/moves/MOVE-1');
    expect(res.text).toContain('Moved 2 barriers to version 2');
    expect(res.text).toContain('3 of 3 barriers processed: 2 moved, 1 could not be moved.');
    expect(res.text).toContain('the barrier is resolved');
    expect(res.text).not.toContain('<progress');
  });

  it('is a 404 page for a move that does not exist', async () => {
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      policies: {
        ...reading,
        move: () => Promise.reject(new NotFound('There is no policy move x.')),
      },
    });
    expect((await getPage(app, '/admin/policies/moves/x')).status).toBe(404);
  });

  it('sends a confirmation that is not two versions back to the start', async () => {
    const startMove = vi.fn();
    const app = appWithAllRoutes({ ...signedInAs(admin), policies: { ...reading, startMove } });
    const res = await postForm(app, '/admin/policies/migrate', { ...move, from: 'x' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/policies/migrate');
    expect(startMove).not.toHaveBeenCalled();
  });

  it('refuses a move without its CSRF token', async () => {
    const planMigration = vi.fn();
    const startMove = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      policies: { ...reading, planMigration, startMove },
    });
    const { _csrf, ...noToken } = move;
    expect((await postForm(app, '/admin/policies/migrate/check', noToken)).status).toBe(403);
    expect((await postForm(app, '/admin/policies/migrate', noToken)).status).toBe(403);
    expect(planMigration).not.toHaveBeenCalled();
    expect(startMove).not.toHaveBeenCalled();
  });

  it('shows a version that vanished before the move as a 404 page', async () => {
    const app = appWithAllRoutes({
      ...signedInAs(admin),
      policies: {
        ...reading,
        planMigration: () => Promise.resolve(plan),
        startMove: () => Promise.reject(new NotFound('There is no policy version 2.')),
      },
    });
    expect((await postForm(app, '/admin/policies/migrate', move)).status).toBe(404);
  });
});
