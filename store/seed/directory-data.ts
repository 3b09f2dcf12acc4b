/**
 * Seed directory: Greater Manchester's ten localities and their neighbourhoods
 * (place names are real), with fictional people at @example.org.
 */
import { LOCALITY_NEIGHBOURHOODS, slugify } from '../../domain/places.ts';

export { LOCALITY_NEIGHBOURHOODS, slugify };

const FIRST = [
  'Aisha',
  'Ben',
  'Chloe',
  'Darren',
  'Eleanor',
  'Farhan',
  'Grace',
  'Harry',
  'Imran',
  'Jade',
  'Kieran',
  'Leah',
  'Mohammed',
  'Niamh',
  'Owen',
  'Priya',
  'Rachel',
  'Sam',
  'Tariq',
  'Una',
  'Vikram',
  'Wendy',
  'Yasmin',
  'Zoe',
];
const LAST = [
  'Ahmed',
  'Barker',
  'Clarke',
  'Dawson',
  'Evans',
  'Fletcher',
  'Gallagher',
  'Hussain',
  'Iqbal',
  'Jones',
  'Kaur',
  'Lowe',
  'Murphy',
  'Nolan',
  "O'Brien",
  'Patel',
  'Quinn',
  'Roberts',
  'Shah',
  'Taylor',
  'Walsh',
  'Young',
];

export interface SeedPerson {
  email: string;
  name: string;
  roles: string[];
  locality: string | null;
  neighbourhood: string | null;
}

export interface SeedDirectory {
  localities: {
    _id: string;
    name: string;
    neighbourhoods: { slug: string; name: string; lead: string; deputy: string }[];
    leads: string[];
    specialists: { category: string; email: string }[];
  }[];
  people: SeedPerson[];
}

/** The seed directory, the same on every run. */
export function buildSeedDirectory(): SeedDirectory {
  const people: SeedPerson[] = [];
  const used = new Set<string>();
  let i = 0;
  const person = (
    roles: string[],
    locality: string | null,
    neighbourhood: string | null,
  ): string => {
    for (;;) {
      const first = FIRST[i % FIRST.length]!;
      const last = LAST[Math.floor(i / FIRST.length + i * 7) % LAST.length]!;
      i += 1;
      const email = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + '@example.org';
      if (used.has(email)) continue;
      used.add(email);
      people.push({ email, name: `${first} ${last}`, roles, locality, neighbourhood });
      return email;
    }
  };
  const localities = Object.entries(LOCALITY_NEIGHBOURHOODS).map(([slug, l]) => {
    const leads = [person(['locality-lead'], slug, null)];
    const neighbourhoods = l.neighbourhoods.map((name) => {
      const n = slugify(name);
      return {
        slug: n,
        name,
        lead: person(['neighbourhood-lead'], slug, n),
        deputy: person(['neighbourhood-lead'], slug, n),
      };
    });
    return { _id: slug, name: l.name, neighbourhoods, leads, specialists: [] };
  });
  person(['gmca-triage'], null, null);
  person(['gmca-triage'], null, null);
  person(['admin'], null, null);
  return { localities, people };
}
