/** 3. Escalation lag: how long after a deadline the barrier is escalated and its breach email sent. */
import { setTimeout as sleep } from 'node:timers/promises';
import { readTimelines } from '../../store/barrier-queries.ts';
import { findByIds } from '../../store/point-reads.ts';
import { benchPolicy } from '../lib/bench-policy.ts';
import { say, type Harness } from '../lib/harness.ts';
import { closedLoop, percentiles } from '../lib/stats.ts';

/** Starts `k` barriers whose deadlines fall over the spread, and measures each escalation's lag. */
export async function measureLag(h: Harness, k: number, label: string) {
  say(`${label}: ${k} barriers whose deadlines fall over ${h.sizes.lagSpreadS} s`);
  const base = (h.options.quick ? 8 : 30) + Math.ceil(k / 20); // time to start them all, with room
  const ids: string[] = [];
  await closedLoop(
    k,
    50,
    async (i) => {
      // Each measurement its own range of ids: the lag section, and the lag at scale.
      const id = h.barrierId('lag', (label === 'lag' ? 0 : 5_000_000) + i);
      ids.push(id);
      await h.startDirect(id, i, benchPolicy(`PT${base + (i % h.sizes.lagSpreadS)}S`));
    },
    (d) => say(`${label}: started ${d}/${k}`),
  );
  // Progress from the SMTP listener (in memory), so watching adds no load to
  // the database under test; then the read model is read by key.
  const wanted = new Set(ids);
  const mailed = () =>
    new Set(
      h.sink
        .messages()
        .filter((m) => m.kind === 'breached')
        .map((m) => m.key.split(':')[0]!)
        .filter((id) => wanted.has(id)),
    ).size;
  const deadline = Date.now() + (base + h.sizes.lagSpreadS + 90) * 1000;
  for (;;) {
    say(`${label}: ${mailed()}/${k} breach emails`);
    if (mailed() >= k || Date.now() > deadline) break;
    await sleep(h.options.quick ? 1_000 : 5_000);
  }
  const readEvents = async () => {
    const docs = await findByIds(h.store.models.Barrier, ids, { lastSeq: 1 });
    return readTimelines(
      h.store.models,
      docs.map((d) => ({ id: d._id, lastSeq: d.lastSeq })),
    );
  };
  let events = await readEvents();
  const escalated = () => events.filter((e) => e.type === 'escalated').length;
  while (escalated() < k && Date.now() < deadline + 30_000) {
    say(`${label}: ${escalated()}/${k} escalated in the read model`);
    await sleep(2_000);
    events = await readEvents();
  }
  const due = new Map(
    events.filter((e) => e.type === 'breached').map((e) => [e.barrierId, e.at.getTime()]),
  );
  const readModel = events
    .filter((e) => e.type === 'escalated' && due.has(e.barrierId) && e.recordedAt)
    .map((e) => e.recordedAt!.getTime() - due.get(e.barrierId)!);
  await sleep(h.options.quick ? 1_000 : 3_000);
  const emails = h.sink
    .messages()
    .filter((m) => m.kind === 'breached' && due.has(m.key.split(':')[0]!))
    .map((m) => m.receivedAt.getTime() - due.get(m.key.split(':')[0]!)!);
  return {
    readModel: percentiles(readModel),
    email: percentiles(emails),
    escalated: readModel.length,
    of: k,
  };
}

export async function measureEscalationLag(h: Harness): Promise<void> {
  const lag = await measureLag(h, h.sizes.lag, 'lag');
  h.result.lag = lag;
  h.record({
    name: 'Escalation lag (ms after the deadline)',
    rows: [
      {
        what: `escalated in the read model (${lag.escalated}/${lag.of})`,
        value: lag.readModel.p99,
        unit: 'ms p99',
        detail: lag.readModel,
      },
      {
        what: 'breach email at the SMTP listener',
        value: lag.email.p99,
        unit: 'ms p99',
        detail: lag.email,
      },
    ],
    targets: [{ what: 'escalation lag p99 ≤ 1 s', met: lag.readModel.p99 <= 1_000 }],
  });
}
