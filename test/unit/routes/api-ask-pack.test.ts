import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import type { Services } from '../../../services/create-services.ts';
import { NotFound } from '../../../services/errors.ts';
import {
  appWithAllRoutes,
  authAs,
  expectProblem,
  leighLead,
  signedInAs,
} from '../../support/route-harness.ts';

type StoredAsk = Awaited<ReturnType<Services['asks']['visible']>>;

const ask = { _id: 'ASK-0003', reference: 'ASK-0003', barrierIds: ['GT-0007'] } as StoredAsk;

const TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

const packOf = (format: 'docx' | 'pdf') => ({
  filename: `ASK-0003-evidence-pack.${format}`,
  contentType: TYPES[format],
  body: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, format.length]),
});

const fakes = () => {
  const visible = vi.fn(() => Promise.resolve(ask));
  const document = vi.fn((_a: StoredAsk, format: 'docx' | 'pdf') =>
    Promise.resolve(packOf(format)),
  );
  return {
    visible,
    document,
    app: appWithAllRoutes({
      ...signedInAs(leighLead),
      asks: { visible },
      evidencePacks: { document },
    }),
  };
};

describe('GET /api/v1/asks/:id/evidence-pack', () => {
  for (const [query, format] of [
    ['?format=docx', 'docx'],
    ['?format=pdf', 'pdf'],
    ['', 'pdf'],
  ] as const) {
    it(`gives the pack as .${format} for ${query || 'no format'}`, async () => {
      const { app, visible, document } = fakes();
      const res = await request(app)
        .get(`/api/v1/asks/ASK-0003/evidence-pack${query}`)
        .set(await authAs(leighLead))
        .responseType('blob');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(TYPES[format]);
      expect(res.headers['content-disposition']).toMatch(
        new RegExp(`^attachment; filename="?ASK-0003-evidence-pack\\.${format}"?$`),
      );
      expect(Buffer.compare(res.body as Buffer, packOf(format).body)).toBe(0);
      expect(visible).toHaveBeenCalledWith(expect.objectContaining(leighLead.actor), 'ASK-0003');
      expect(document).toHaveBeenCalledWith(ask, format);
    });
  }

  it('refuses a format there is no pack in, reading nothing', async () => {
    const { app, visible } = fakes();
    const res = await request(app)
      .get('/api/v1/asks/ASK-0003/evidence-pack?format=odt')
      .set(await authAs(leighLead));
    const problem = expectProblem(res, 400, 'query.format');
    expect(problem.errors?.[0]?.reason).toMatch(/docx, pdf/);
    expect(visible).not.toHaveBeenCalled();
  });

  it('refuses an id that is not an ask reference', async () => {
    const { app, visible } = fakes();
    const res = await request(app)
      .get('/api/v1/asks/GT-0007/evidence-pack')
      .set(await authAs(leighLead));
    expectProblem(res, 400, 'path.id');
    expect(visible).not.toHaveBeenCalled();
  });

  it('is a 404 for an ask the caller cannot see, making no pack', async () => {
    const document = vi.fn();
    const app = appWithAllRoutes({
      ...signedInAs(leighLead),
      asks: {
        visible: () => Promise.reject(new NotFound('There is no ask ASK-0009 that you can see.')),
      },
      evidencePacks: { document },
    });
    const res = await request(app)
      .get('/api/v1/asks/ASK-0009/evidence-pack?format=docx')
      .set(await authAs(leighLead));
    expect(expectProblem(res, 404).detail).toBe('There is no ask ASK-0009 that you can see.');
    expect(document).not.toHaveBeenCalled();
  });

  it('is a 401 without a token', async () => {
    const res = await request(fakes().app).get('/api/v1/asks/ASK-0003/evidence-pack');
    expectProblem(res, 401);
  });
});
