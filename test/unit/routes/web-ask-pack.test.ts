import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import type { Services } from '../../../services/create-services.ts';
import { NotFound } from '../../../services/errors.ts';
import { askPageSources } from '../../support/evidence-pack.ts';
import {
  appWithAllRoutes,
  getPage,
  leighLead,
  pageCookie,
  signedInAs,
  triage,
} from '../../support/route-harness.ts';

type StoredAsk = Awaited<ReturnType<Services['asks']['visible']>>;

const ask = { _id: 'ASK-0003', reference: 'ASK-0003', barrierIds: ['GT-0007'] } as StoredAsk;

const TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

/** A pack the fake service makes: bytes that are not text, to show they pass through whole. */
const packOf = (format: 'docx' | 'pdf') => ({
  filename: `ASK-0003-evidence-pack.${format}`,
  contentType: TYPES[format],
  body: Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x80, format.length]),
});

describe('an ask’s evidence pack, downloaded from the pages', () => {
  it('sends someone who is not signed in to sign in', async () => {
    const res = await request(appWithAllRoutes({})).get('/asks/ASK-0003/evidence-pack.pdf');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });

  for (const format of ['docx', 'pdf'] as const) {
    it(`downloads the .${format} of an ask the person can see`, async () => {
      const visible = vi.fn(() => Promise.resolve(ask));
      const document = vi.fn(() => Promise.resolve(packOf(format)));
      const app = appWithAllRoutes({
        ...signedInAs(leighLead),
        asks: { visible },
        evidencePacks: { document },
      });
      const res = await request(app)
        .get(`/asks/ASK-0003/evidence-pack.${format}`)
        .set('Cookie', pageCookie)
        .responseType('blob');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(TYPES[format]);
      expect(res.headers['content-disposition']).toMatch(
        new RegExp(`^attachment; filename="?ASK-0003-evidence-pack\\.${format}"?$`),
      );
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(Buffer.compare(res.body as Buffer, packOf(format).body)).toBe(0);
      expect(visible).toHaveBeenCalledWith(expect.objectContaining(leighLead.actor), 'ASK-0003');
      expect(document).toHaveBeenCalledWith(ask, format);
    });
  }

  it('is a 404 page for an ask the person cannot see, making no pack', async () => {
    const document = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      asks: {
        visible: () => Promise.reject(new NotFound('There is no ask ASK-0009 that you can see.')),
      },
      evidencePacks: { document },
    });
    const res = await getPage(app, '/asks/ASK-0009/evidence-pack.docx');
    expect(res.status).toBe(404);
    expect(res.text).toContain('There is no ask ASK-0009 that you can see.');
    expect(document).not.toHaveBeenCalled();
  });

  it('is not found in a format there is no pack in', async () => {
    const app = appWithAllRoutes({ ...signedInAs(triage) });
    const res = await getPage(app, '/asks/ASK-0003/evidence-pack.odt');
    expect(res.status).toBe(404);
  });

  it('is linked from the ask page in both formats', async () => {
    const sources = askPageSources();
    const app = appWithAllRoutes({
      ...signedInAs(triage),
      asks: {
        visible: () => Promise.resolve(sources.ask as never),
        withEvidence: () => Promise.resolve(sources as never),
      },
      barriers: { namesOf: () => Promise.resolve({}) },
      publications: { of: () => Promise.resolve(null) },
    });
    const res = await getPage(app, '/asks/ASK-0003');
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      '<a class="govuk-link" href="/asks/ASK-0003/evidence-pack.docx">Download the evidence pack (Word document)</a>',
    );
    expect(res.text).toContain(
      '<a class="govuk-link" href="/asks/ASK-0003/evidence-pack.pdf">Download the evidence pack (PDF)</a>',
    );
  });
});
