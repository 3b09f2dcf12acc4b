/**
 * Greater Manchester's places: the ten localities and their neighbourhoods
 * (real place names), with the slugs the directory and barriers use, and the
 * names people read for each slug.
 */
import type { Locality } from './reference-data.ts';

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

const NEIGHBOURHOOD_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(LOCALITY_NEIGHBOURHOODS).flatMap(([locality, l]) =>
    l.neighbourhoods.map((name) => [`${locality}/${slugify(name)}`, name] as const),
  ),
);

/** A slug that names no known place, made readable: `new-town` → `New town`. */
const readable = (slug: string): string => {
  const s = slug.replace(/-and-/g, ' & ').replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** `wigan` → `Wigan`. */
export const localityName = (slug: string | null | undefined): string =>
  slug
    ? ((LOCALITY_NEIGHBOURHOODS as Record<string, { name: string }>)[slug]?.name ?? readable(slug))
    : '';

/** `wigan`, `hindley-and-abram` → `Hindley & Abram`. */
export const neighbourhoodName = (
  locality: string | null | undefined,
  slug: string | null | undefined,
): string => (slug ? (NEIGHBOURHOOD_NAMES.get(`${locality ?? ''}/${slug}`) ?? readable(slug)) : '');

/** "Leigh, Wigan"; just the locality when there is no neighbourhood. */
export const placeName = (
  locality: string | null | undefined,
  neighbourhood?: string | null,
): string =>
  [neighbourhoodName(locality, neighbourhood), localityName(locality)].filter(Boolean).join(', ');
