/** The asks register and an ask's page, as the list view's tables. */
import { departmentName } from '../../domain/reference-data.ts';
import type { StoredAsk, askDetail } from '../../services/asks.ts';
import { humanise, london } from '../format.ts';

export function askRegisterView(asks: StoredAsk[], q = '') {
  return {
    title: 'Whitehall asks',
    intro: 'Formal asks of central government, bundling barriers from across Greater Manchester.',
    search: {
      action: '/asks',
      value: q,
      hint: 'Words in the reference, title or ask; every word must match',
    },
    links: [
      {
        href: `/asks.csv${q ? `?${new URLSearchParams({ q }).toString()}` : ''}`,
        text: q ? 'Download these asks (CSV)' : 'Download the register (CSV)',
      },
    ],
    tables: [
      {
        caption: `${asks.length} ask${asks.length === 1 ? '' : 's'}`,
        empty: q ? `No asks you can see match “${q}”.` : 'There are no asks you can see yet.',
        head: ['Reference', 'Title', 'Department', 'Status', 'Outcome', 'Response due'],
        rows: asks.map((a) => [
          { text: a._id, href: `/asks/${a._id}` },
          { text: a.title },
          { text: departmentName(a.department) },
          { text: humanise(a.status) },
          { text: humanise(a.outcome ?? '') },
          { text: london(a.dueAt) },
        ]),
      },
    ],
  };
}

export function askPageView({ ask: a, evidence, timeline }: Awaited<ReturnType<typeof askDetail>>) {
  return {
    title: `${a._id}: ${a.title}`,
    intro: `${a.ask} — to ${departmentName(a.department)}. ${humanise(a.status)}${a.outcome ? `, outcome ${a.outcome}` : ''}${a.dueAt ? `; response due ${london(a.dueAt)}` : ''}. Localities: ${evidence.localities.map(humanise).join(', ')}; people affected: ${evidence.peopleAffected}; breaches along the way: ${evidence.breaches}.`,
    links: [],
    tables: [
      {
        caption: 'Bundled barriers',
        empty: 'None.',
        head: ['Reference', 'Title', 'Locality', 'Status', 'People affected', 'Breaches'],
        rows: evidence.barriers.map((b) => [
          { text: b.id, href: `/barriers/${b.id}` },
          { text: b.title },
          { text: humanise(b.locality) },
          { text: humanise(b.status) },
          { text: b.peopleAffected === null ? '' : String(b.peopleAffected) },
          { text: String(b.breaches) },
        ]),
      },
      {
        caption: 'Timeline',
        empty: 'Nothing yet.',
        head: ['When', 'What', 'Who'],
        rows: timeline.map((e) => [
          { text: london(e.at) },
          { text: humanise(e.type) },
          { text: e.actor === 'system' ? 'Golden Thread' : e.actor },
        ]),
      },
    ],
  };
}
