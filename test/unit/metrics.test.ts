/**
 * The metrics' own logic without a server: route templates rather than paths,
 * what a projection's events count, and figures read at scrape time kept
 * between scrapes.
 */
import express from 'express';
import { describe, expect, it } from 'vitest';
import { httpMetrics, routeTemplate, UNMATCHED_ROUTE } from '../../observability/metrics/http.ts';
import {
  collectForScrape,
  onScrape,
  recordBulkMoveProgress,
  recordProjectedEvents,
  registry,
} from '../../observability/metrics/metrics.ts';
import { parseMetrics, value } from '../support/metrics.ts';

const now = async () => parseMetrics(await registry.metrics());

describe('HTTP metrics', () => {
  it('label a request by the route template it matched, never its path', async () => {
    const app = express();
    app.use(httpMetrics());
    const seen: string[] = [];
    const router = express.Router();
    router.get('/:id', (req, res) => {
      seen.push(routeTemplate(req));
      res.json({});
    });
    app.use('/unit-things', router);
    const server = app.listen(0);
    const port = (server.address() as { port: number }).port;
    try {
      const before = await now();
      await fetch(`http://127.0.0.1:${port}/unit-things/GT-123?q=secret`);
      await fetch(`http://127.0.0.1:${port}/unit-things/GT-456`);
      await fetch(`http://127.0.0.1:${port}/nowhere/GT-789`);
      await new Promise((r) => setTimeout(r, 50));
      const after = await now();
      expect(seen).toEqual(['/unit-things/:id', '/unit-things/:id']);
      const labels = { route: '/unit-things/:id', method: 'GET', status_class: '2xx' };
      expect(
        value(after, 'goldenthread_http_requests_total', labels) -
          value(before, 'goldenthread_http_requests_total', labels),
      ).toBe(2);
      const unmatched = { route: UNMATCHED_ROUTE, status_class: '4xx' };
      expect(
        value(after, 'goldenthread_http_requests_total', unmatched) -
          value(before, 'goldenthread_http_requests_total', unmatched),
      ).toBe(1);
      expect(await registry.metrics()).not.toMatch(/GT-\d|secret/);
    } finally {
      server.close();
    }
  });
});

describe('a projection’s events', () => {
  it('count each missed deadline and escalation, and the time from deadline to escalation', async () => {
    const before = await now();
    const due = 1_000_000;
    recordProjectedEvents(
      [
        { type: 'breached', at: due, stage: 'locality', details: { dueAt: due } },
        {
          type: 'escalated',
          at: due + 500,
          stage: 'gmca',
          details: { from: 'locality', to: 'gmca', automatic: true },
        },
        { type: 'routed', at: due + 600, stage: 'gmca', details: {} },
      ],
      due + 7_000,
    );
    const after = await now();
    const d = (name: string, labels: Record<string, string> = {}) =>
      value(after, name, labels) - value(before, name, labels);
    expect(d('goldenthread_deadlines_missed_total', { stage: 'locality' })).toBe(1);
    expect(
      d('goldenthread_escalations_total', { from: 'locality', to: 'gmca', automatic: 'true' }),
    ).toBe(1);
    // Seven seconds after the deadline: in the 10 s bucket, not the 5 s one.
    expect(d('goldenthread_escalation_delay_seconds_bucket', { le: '10' })).toBe(1);
    expect(d('goldenthread_escalation_delay_seconds_bucket', { le: '5' })).toBe(0);
    expect(d('goldenthread_projected_events_total')).toBe(3);
    expect(d('goldenthread_projection_lag_seconds_count')).toBe(3);
  });

  it('keep an unknown stage out of the labels', async () => {
    recordProjectedEvents([{ type: 'breached', at: 0, stage: 'made-up', details: {} }], 1);
    expect(await registry.metrics()).not.toContain('made-up');
  });
});

describe('bulk moves', () => {
  it('sum what moves under way have left, and drop a move once finished', async () => {
    recordBulkMoveProgress(0, 10, 'a');
    recordBulkMoveProgress(0, 5, 'b');
    recordBulkMoveProgress(3, 7, 'a');
    expect(value(await now(), 'goldenthread_bulk_move_barriers_remaining')).toBe(12);
    recordBulkMoveProgress(7, 0, 'a');
    recordBulkMoveProgress(5, 0, 'b');
    expect(value(await now(), 'goldenthread_bulk_move_barriers_remaining')).toBe(0);
  });
});

describe('figures read at scrape time', () => {
  it('are read at most once a period, however many scrape', async () => {
    let reads = 0;
    const stop = onScrape(async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 20));
    }, 60_000);
    try {
      await Promise.all([collectForScrape(), collectForScrape(), collectForScrape()]);
      await collectForScrape();
      expect(reads).toBe(1);
    } finally {
      stop();
    }
  });
});
