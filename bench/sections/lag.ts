/**
 * 3. Escalation lag: how long after a deadline the barrier is escalated and its
 * breach email sent; then, with the email window on, clustered deadlines: the
 * delay the window adds and how many emails go against how many would have.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { readTimelines } from '../../store/barrier-queries.ts';
import { findByIds } from '../../store/point-reads.ts';
import { benchPolicy } from '../lib/bench-policy.ts';
import { say, type Harness } from '../lib/harness.ts';
import { closedLoop, percentiles, type Percentiles } from '../lib/stats.ts';
import { DEFAULT_EMAIL_WINDOW_SECONDS } from '../../domain/notifications/coalesce.ts';

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
  const clustered = await measureClusteredEmails(h, DEFAULT_EMAIL_WINDOW_SECONDS);
  h.result.emailWindow = clustered;
  h.record({
    name: `Clustered deadlines with the email window (${clustered.windowS} s)`,
    rows: [
      {
        what: `breach named in an email (${clustered.mailed}/${clustered.of} barriers, all due at one instant)`,
        value: clustered.email.p99,
        unit: 'ms p99 after the deadline',
        detail: clustered.email,
      },
      {
        what: 'added by the window (p99 above, less the breach email p99 without it)',
        value: Math.round(clustered.email.p99 - lag.email.p99),
        unit: 'ms',
      },
      {
        what: `emails sent, for ${clustered.planned} messages planned (${clustered.events} events calling for email)`,
        value: clustered.emails,
        unit: 'emails',
      },
    ],
    targets: [
      {
        what: `no breach waits longer than the window (+5 s) after its deadline`,
        met: clustered.email.max <= clustered.windowS * 1000 + 5_000,
      },
      { what: 'every breach named in an email', met: clustered.mailed === clustered.of },
    ],
  });
}

/**
 * `k` barriers over Wigan's neighbourhoods whose deadlines all fall at one
 * instant (as working-time deadlines cluster at 09:00), on a worker with the
 * email window: how long after the deadline each breach is named in an email,
 * and how many emails went for how many messages were planned.
 */
/** Clustered deadlines on a worker with the email window: how late, and how many emails. */
export interface ClusteredEmails {
  windowS: number;
  email: Percentiles;
  mailed: number;
  of: number;
  events: number;
  planned: number;
  emails: number;
}

export async function measureClusteredEmails(
  h: Harness,
  windowS: number,
): Promise<ClusteredEmails> {
  const k = Math.min(h.sizes.lag, 200);
  const { queue, sink } = await h.emailWindowWorker(windowS);
  // The assignments' window closes well before the deadline, so the breaches are a burst of their own.
  const dueAt = Date.now() + (windowS + 20 + Math.ceil(k / 20)) * 1000;
  say(`clustered: ${k} barriers all due at one instant, the window ${windowS} s`);
  const ids: string[] = [];
  await closedLoop(
    k,
    50,
    async (i) => {
      const id = h.barrierId('lag', 9_000_000 + i);
      ids.push(id);
      const inS = Math.max(1, Math.round((dueAt - Date.now()) / 1000));
      await h.startDirect(id, i, benchPolicy(`PT${inS}S`), queue);
    },
    (d) => say(`clustered: started ${d}/${k}`),
  );
  const named = (id: string) => `[${id}] Acknowledge deadline missed`;
  const firstNaming = (id: string) =>
    sink.messages().find((m) => m.subject.includes(named(id)) || m.text.includes(named(id)));
  const deadline = dueAt + (windowS + 60) * 1000;
  for (;;) {
    const mailed = ids.filter((id) => firstNaming(id)).length;
    say(`clustered: ${mailed}/${k} breaches named in an email`);
    if (mailed >= k || Date.now() > deadline) break;
    await sleep(h.options.quick ? 2_000 : 5_000);
  }
  // Then until nothing is held for them (the raisers' windows open at the breach, after the owners').
  const drained = Date.now() + (windowS + 30) * 1000;
  while (
    Date.now() < drained &&
    (await h.store.models.EmailPending.countDocuments({ barrierId: { $in: ids } })) > 0
  ) {
    await sleep(2_000);
  }
  await sleep(3_000);
  const breaches = await h.store.models.TimelineEvent.find(
    { barrierId: { $in: ids }, type: 'breached' },
    { barrierId: 1, at: 1 },
  ).lean();
  const due = new Map(breaches.map((b) => [b.barrierId, b.at.getTime()]));
  const lags = ids.flatMap((id) => {
    const m = firstNaming(id);
    const at = due.get(id);
    return m && at !== undefined ? [m.receivedAt.getTime() - at] : [];
  });
  // Each message planned is in the log under its own key (sent alone, or carried by a combined email).
  const planned = await h.store.models.EmailLog.countDocuments({ barrierId: { $in: ids } });
  const events = await h.store.models.TimelineEvent.countDocuments({
    barrierId: { $in: ids },
    type: { $in: ['routed', 'warning', 'breached', 'escalated'] },
  });
  return {
    windowS,
    email: percentiles(lags),
    mailed: lags.length,
    of: k,
    events,
    planned,
    emails: sink.messages().length,
  };
}
