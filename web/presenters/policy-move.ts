/** A policy move's page: its progress while its workflow runs, then what became of each barrier. */
import { formatDateTime as london } from '../../domain/format/index.ts';
import type { PolicyMoveView } from '../../services/policies.ts';

const barriers = (n: number) => `${n} barrier${n === 1 ? '' : 's'}`;

/** One line of progress, the same on the page and from its script. */
export function policyMoveProgressText(m: PolicyMoveView): string {
  const notMoved = m.skipped.length ? `, ${m.skipped.length} could not be moved` : '';
  return `${m.done} of ${barriers(m.total)} processed: ${m.migrated.length} moved${notMoved}.`;
}

export function policyMoveView(m: PolicyMoveView) {
  const finished = m.status === 'done';
  return {
    title: finished
      ? `Moved ${barriers(m.migrated.length)} to version ${m.to}`
      : `Moving ${barriers(m.total)} from version ${m.from} to version ${m.to}`,
    id: m.id,
    finished,
    done: m.done,
    total: m.total,
    percent: m.total ? Math.floor((100 * m.done) / m.total) : 100,
    progressText: policyMoveProgressText(m),
    summary: [
      ['Policy', m.policyId],
      ['From version', String(m.from)],
      ['To version', String(m.to)],
      ['Started by', m.startedBy],
      ['Started', london(m.startedAt)],
      ['Finished', m.finishedAt ? london(m.finishedAt) : 'Not yet'],
    ].map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
    changes: m.changes,
    skippedRows: m.skipped.map((s) => [
      { text: s.id, href: `/barriers/${s.id}` },
      { text: s.reason },
    ]),
  };
}
