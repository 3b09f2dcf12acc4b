/**
 * Realistic barriers for the demo: the kinds of thing Greater Manchester's
 * localities escalate (data sharing, ring-fenced money, workforce rules,
 * national regulation), spread across the ten localities. Fictional, but
 * written as a locality board would.
 */
import type { Category, FocusArea } from '../../domain/reference-data.ts';

export interface DemoBarrier {
  title: string;
  description: string;
  category: Category;
  focusArea: FocusArea;
  peopleAffected: number;
}

const b = (
  category: Category,
  focusArea: FocusArea,
  peopleAffected: number,
  title: string,
  description: string,
): DemoBarrier => ({ title, description, category, focusArea, peopleAffected });

/** Twenty kinds of barrier; the demo raises each in three localities. */
export const DEMO_BARRIERS: DemoBarrier[] = [
  b(
    'data-sharing',
    'health-inclusion',
    340,
    'GP records cannot be shared with the neighbourhood team',
    'Practices will not share records with council-employed care coordinators without a data-sharing agreement for each practice, so joint case reviews stall.',
  ),
  b(
    'data-sharing',
    'prevention',
    210,
    'Police referrals arrive without consent to share onwards',
    'Early help referrals from the police cannot be passed to health visitors because consent was only given for the first contact.',
  ),
  b(
    'data-sharing',
    'early-years',
    160,
    'Health visitor and nursery data cannot be matched',
    'Two-year-old checks and nursery places are recorded in systems that are not allowed to match children, so families are asked the same questions twice.',
  ),
  b(
    'funding',
    'rough-sleeping',
    120,
    'Ring-fenced rough sleeping grant cannot be pooled',
    'The grant conditions forbid pooling with the health inequalities fund, so one outreach team is run as two.',
  ),
  b(
    'funding',
    'mental-health',
    95,
    'Annual grant cycle stops a three-year crisis service',
    'Funding is confirmed a year at a time, so the voluntary sector partner cannot recruit permanent staff.',
  ),
  b(
    'funding',
    'affordable-housing',
    60,
    'Adaptation grants capped below the cost of a level-access shower',
    'The national cap has not moved since 2008; families wait while the gap is found from other budgets.',
  ),
  b(
    'workforce',
    'ageing-well',
    400,
    'Care staff cannot give medicines prescribed by another trust',
    'Delegated tasks are agreed per employer, so a carer visiting for two organisations has to call a nurse out.',
  ),
  b(
    'workforce',
    'work-and-skills',
    75,
    'Job Centre work coaches cannot be co-located with the council hub',
    'National estate rules stop work coaches working from the neighbourhood hub more than one day a week.',
  ),
  b(
    'workforce',
    'community-safety',
    50,
    'Neighbourhood officers abstracted to city-centre duties',
    'Force-wide rosters move neighbourhood officers most weekends, breaking the joint patrol plan with housing.',
  ),
  b(
    'regulation',
    'affordable-housing',
    230,
    'Permitted development conversions below space standards',
    'Office conversions approved under national rules leave families in flats without daylight; the council cannot refuse them.',
  ),
  b(
    'regulation',
    'health-inclusion',
    140,
    'Pharmacy cannot deliver the blood-pressure checks in the hub',
    'The contract ties the service to the pharmacy premises, not the community hub where people already are.',
  ),
  b(
    'regulation',
    'early-years',
    85,
    'Childminder registration takes six months',
    'New childminders in areas with no nursery places wait half a year for national registration.',
  ),
  b(
    'estates',
    'prevention',
    300,
    'NHS building cannot host council services at a peppercorn rent',
    'Property rules require market rent from the council for space that is empty three days a week.',
  ),
  b(
    'estates',
    'ageing-well',
    110,
    'Library refit blocked by a covenant on the building',
    'A 1930s covenant limits the building to library use, so the planned health and wellbeing hub cannot open.',
  ),
  b(
    'commissioning',
    'mental-health',
    180,
    'Separate contracts for adult and young people’s mental health',
    'Young people turning eighteen change provider, keyworker and waiting list on their birthday.',
  ),
  b(
    'commissioning',
    'work-and-skills',
    90,
    'Employment support contracts managed nationally',
    'The national contract cannot be varied to join up with the locality’s skills offer or its health checks.',
  ),
  b(
    'digital',
    'health-inclusion',
    260,
    'Care records system cannot send referrals to the voluntary sector',
    'The system only refers to NHS organisations, so social prescribing referrals are printed and posted.',
  ),
  b(
    'digital',
    'community-safety',
    45,
    'No shared case management for the anti-social behaviour panel',
    'Each partner keeps its own spreadsheet; the panel spends its first hour reconciling them.',
  ),
  b(
    'governance',
    'prevention',
    70,
    'Sign-off for joint posts needs four boards',
    'A jointly funded prevention post needs approval from four organisations’ boards, taking most of a year.',
  ),
  b(
    'governance',
    'rough-sleeping',
    55,
    'Duty to refer has no route back to the referrer',
    'Public bodies refer people at risk of homelessness but never hear what happened, so repeat referrals pile up.',
  ),
];
