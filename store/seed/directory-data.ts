/**
 * Seed directory: Greater Manchester's ten localities and their neighbourhoods
 * (place names are real), with fictional people at @example.org.
 */
import type { Locality } from '../../domain/reference-data.ts';

export const LOCALITY_NEIGHBOURHOODS: Record<Locality, { name: string; neighbourhoods: string[] }> =
  {
    bolton: {
      name: 'Bolton',
      neighbourhoods: [
        'Bolton Central',
        'Breightmet & Little Lever',
        'Chorley Roads',
        'Crompton & Halliwell',
        'Farnworth & Kearsley',
        'Great Lever & Rumworth',
        'Horwich & Blackrod',
        'Turton',
        'Westhoughton',
      ],
    },
    bury: {
      name: 'Bury',
      neighbourhoods: [
        'Bury East',
        'Bury West',
        'Prestwich',
        'Radcliffe',
        'Ramsbottom & Tottington',
        'Whitefield',
      ],
    },
    manchester: {
      name: 'Manchester',
      neighbourhoods: [
        'Cheetham & Crumpsall',
        'Higher Blackley, Harpurhey & Charlestown',
        'Miles Platting, Newton Heath & Moston',
        'Ancoats, Clayton & Bradford',
        'City Centre',
        'Gorton & Levenshulme',
        'Ardwick & Longsight',
        'Hulme, Moss Side & Rusholme',
        'Chorlton & Whalley Range',
        'Fallowfield & Withington',
        'Didsbury, Burnage & Chorlton Park',
        'Wythenshawe North',
        'Wythenshawe South',
      ],
    },
    oldham: {
      name: 'Oldham',
      neighbourhoods: [
        'Chadderton',
        'Failsworth & Hollinwood',
        'Oldham Central',
        'Oldham East',
        'Royton, Shaw & Crompton',
        'Saddleworth & Lees',
      ],
    },
    rochdale: {
      name: 'Rochdale',
      neighbourhoods: ['Rochdale North', 'Rochdale South', 'Heywood', 'Middleton', 'Pennines'],
    },
    salford: {
      name: 'Salford',
      neighbourhoods: [
        'Broughton & Kersal',
        'Eccles',
        'Irlam & Cadishead',
        'Ordsall & Langworthy',
        'Swinton & Pendlebury',
        'Walkden & Little Hulton',
        'Worsley & Boothstown',
      ],
    },
    stockport: {
      name: 'Stockport',
      neighbourhoods: [
        'Bramhall & Cheadle Hulme South',
        'Cheadle & Cheadle Hulme North',
        'Heatons & Tame Valley',
        'Marple & Werneth',
        'Stepping Hill & Victoria',
        'Stockport Central',
      ],
    },
    tameside: {
      name: 'Tameside',
      neighbourhoods: [
        'Ashton',
        'Denton',
        'Droylsden & Audenshaw',
        'Hyde & Longdendale',
        'Stalybridge, Dukinfield & Mossley',
      ],
    },
    trafford: {
      name: 'Trafford',
      neighbourhoods: ['Trafford North', 'Trafford Central', 'Trafford South', 'Trafford West'],
    },
    wigan: {
      name: 'Wigan',
      neighbourhoods: [
        'Wigan Central',
        'Wigan North',
        'Wigan West',
        'Hindley & Abram',
        'Ashton & Golborne',
        'Atherton & Tyldesley',
        'Leigh',
      ],
    },
  };

/** `Wythenshawe North` → `wythenshawe-north`; `Hulme, Moss Side & Rusholme` → `hulme-moss-side-and-rusholme`. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

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
