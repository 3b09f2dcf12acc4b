/** 2. API latency with a store of barriers: reads, raises and actions against a bare express and query. */
import express from 'express';
import { LOCALITIES, STAGES } from '../../domain/reference-data.ts';
import { barrierDocument } from '../../activities/projection.ts';
import { freePort } from '../../scripts/servers/process.ts';
import type { BarrierView } from '../../workflows/barrier/definitions.ts';
import { round2, say, type Harness } from '../lib/harness.ts';
import { closedLoop, percentiles, type Percentiles } from '../lib/stats.ts';
import type { LifecycleRuns } from './lifecycle.ts';

export async function measureApiLatency(h: Harness, { raw, life }: LifecycleRuns): Promise<void> {
  say(`2/5 API latency with ${h.sizes.store} barriers in the store`);
  const seeded = h.sizes.store - h.raised.length;
  const now = Date.now();
  for (let start = 0; start < seeded; start += 1_000) {
    const docs = [];
    for (let i = start; i < Math.min(seeded, start + 1_000); i++) {
      const locality = LOCALITIES[i % LOCALITIES.length]!;
      const view = syntheticView(
        h.barrierId('seeded', i),
        locality,
        STAGES[i % 3]!,
        now + (i % 5000) * 60_000,
      );
      docs.push({ ...barrierDocument('seeded', view), projectedAt: new Date() });
    }
    await h.store.models.Barrier.collection.insertMany(docs as never[]);
    say(`seeded ${Math.min(seeded, start + 1_000)}/${seeded}`);
  }
  const bare = express();
  bare.get('/ping', (_req, res) => {
    res.json({ ok: true });
  });
  const barePort = await freePort();
  const bareServer = bare.listen(barePort, '127.0.0.1');
  h.onStop(() => new Promise((r) => bareServer.close(r)));
  const n = h.sizes.requests;
  const c = h.sizes.concurrency;
  const lat: Record<string, Percentiles> = {};
  const progress = (label: string) => (d: number) => say(`${label}: ${d}/${n}`);
  lat['bare express GET'] = percentiles(
    (
      await closedLoop(
        n,
        c,
        () => fetch(`http://127.0.0.1:${barePort}/ping`).then((r) => r.text()),
        progress('bare express GET'),
      )
    ).latencies,
  );
  lat['bare indexed mongoose query'] = percentiles(
    (
      await closedLoop(
        n,
        c,
        () =>
          h.store.models.Barrier.find({ locality: 'wigan' })
            .sort({ deadlineSortAt: 1, _id: 1 })
            .limit(25)
            .lean(),
        progress('bare indexed mongoose query'),
      )
    ).latencies,
  );
  lat['GET /barriers (filtered)'] = percentiles(
    (
      await closedLoop(
        n,
        c,
        (i) =>
          h.call(
            'GET',
            `/api/v1/barriers?locality=${LOCALITIES[i % 10]}&stage=neighbourhood&limit=25`,
            h.admin,
          ),
        progress('GET /barriers (filtered)'),
      )
    ).latencies,
  );
  lat['GET /barriers/:id'] = percentiles(
    (
      await closedLoop(
        n,
        c,
        (i) => h.call('GET', `/api/v1/barriers/${h.raised[i % h.raised.length]}`, h.admin),
        progress('GET /barriers/:id'),
      )
    ).latencies,
  );
  lat['POST /barriers'] = percentiles(life.latencies);
  lat['POST /barriers/:id/actions'] = percentiles(
    (
      await closedLoop(
        n,
        c,
        (i) =>
          h.call('POST', `/api/v1/barriers/${h.raised[i % h.raised.length]}/actions`, h.lead, {
            type: 'comment',
            text: `note ${i}`,
          }),
        progress('POST /barriers/:id/actions'),
      )
    ).latencies,
  );
  lat['raw workflow execute'] = percentiles(raw.latencies);
  h.result.latency = lat;
  h.record({
    name: 'API latency (ms)',
    rows: Object.entries(lat).map(([what, p]) => ({
      what,
      value: p.p99,
      unit: 'ms p99',
      detail: p,
    })),
    ratio: {
      what: 'GET /barriers p99 / bare indexed query p99',
      value: round2(
        lat['GET /barriers (filtered)'].p99 / Math.max(0.1, lat['bare indexed mongoose query'].p99),
      ),
    },
    targets: [
      {
        what: 'reads p99 ≤ 50 ms',
        met: Math.max(lat['GET /barriers (filtered)'].p99, lat['GET /barriers/:id'].p99) <= 50,
      },
      {
        what: 'raise and actions p99 ≤ 150 ms',
        met: Math.max(lat['POST /barriers'].p99, lat['POST /barriers/:id/actions'].p99) <= 150,
      },
    ],
  });
}

function syntheticView(id: string, locality: string, stage: string, deadline: number): BarrierView {
  return {
    id,
    reference: id,
    title: `Seeded barrier ${id}`,
    description: 'Seeded by the benchmark for read latency.',
    locality,
    neighbourhood: 'seeded',
    category: 'funding',
    focusArea: null,
    gmModelFeature: null,
    peopleAffected: 10,
    evidence: [],
    raisedBy: 'bench@example.org',
    raisedAt: deadline - 86_400_000,
    stage: stage as BarrierView['stage'],
    status: 'open',
    cycle: 1,
    owner: { email: 'owner@example.org', name: 'Owner', reason: 'neighbourhood-lead' },
    acknowledged: false,
    policy: { id: 'bench', version: 1 },
    sla: {
      stage: stage as BarrierView['stage'],
      calendar: '24x7',
      acknowledgeDueAt: deadline,
      resolveDueAt: deadline + 86_400_000,
      paused: false,
      pauseReason: null,
      breached: false,
      atRisk: false,
      nextDeadlineAt: deadline,
      overdueSince: null,
    },
    closedAt: null,
    reopenUntil: null,
    resolution: null,
    seq: 2,
    raisers: ['bench@example.org'],
    mergedInto: null,
    mergedFrom: [],
    links: [],
    askId: null,
  };
}
