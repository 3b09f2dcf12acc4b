import { describe, expect, it } from 'vitest';
import { fixturePublicAsk } from '../../test/support/evidence-pack.ts';
import { reviewTag } from './public-ask.ts';

describe('the tag of what a preview showed', () => {
  const read = fixturePublicAsk();
  const tag = reviewTag(read);

  it('is the same for the same record, however long the preview was read', () => {
    const later = fixturePublicAsk({
      publishedAt: '2026-12-08T09:00:00.000Z',
      evidence: {
        ...read.evidence,
        longestOpenWorkingDays: read.evidence.longestOpenWorkingDays + 3,
      },
    });
    expect(reviewTag(later)).toBe(tag);
  });

  it('changes with any text the preview did not show', () => {
    const [first, ...rest] = read.pack.cases;
    const changes = [
      { ...read, version: read.version + 1 },
      { ...read, response: 'A response recorded after the preview.' },
      {
        ...read,
        pack: {
          ...read.pack,
          cases: [
            {
              ...first!,
              history: [
                ...first!.history,
                { when: 'later', what: 'Resolved: see Mrs Smith at No. 4' },
              ],
            },
            ...rest,
          ],
        },
      },
      { ...read, pack: { ...read.pack, cases: [{ ...first!, description: 'Edited.' }, ...rest] } },
    ];
    for (const changed of changes) expect(reviewTag(changed)).not.toBe(tag);
  });
});
