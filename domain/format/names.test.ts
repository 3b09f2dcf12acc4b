import { describe, expect, it } from 'vitest';
import { localityName, neighbourhoodName, placeName } from '../places.ts';
import {
  auditActionName,
  departmentName,
  listInWords,
  outcomeName,
  roleName,
  sentence,
  stageName,
} from './names.ts';

describe('names as people say them', () => {
  it('names places from the reference data, not their slugs', () => {
    expect(localityName('wigan')).toBe('Wigan');
    expect(neighbourhoodName('wigan', 'hindley-and-abram')).toBe('Hindley & Abram');
    expect(placeName('manchester', 'higher-blackley-harpurhey-and-charlestown')).toBe(
      'Higher Blackley, Harpurhey & Charlestown, Manchester',
    );
    expect(placeName('wigan', null)).toBe('Wigan');
    expect(neighbourhoodName('wigan', 'new-town')).toBe('New town');
  });

  it('names roles, stages, outcomes and changes mid-sentence, and capitalises to start one', () => {
    expect(roleName('gmca-triage')).toBe('GMCA triage');
    expect(sentence(roleName('locality-lead'))).toBe('Locality lead');
    expect(`at the ${stageName('gmca')} stage`).toBe('at the GMCA stage');
    expect(outcomeName('partially-agreed')).toBe('partially agreed');
    expect(auditActionName('person.unavailable')).toBe('marked as away');
    expect(departmentName('dwp')).toBe('Department for Work and Pensions');
  });

  it('joins a list with commas and "and"', () => {
    expect(listInWords(['Bolton'])).toBe('Bolton');
    expect(listInWords(['Bolton', 'Bury', 'Wigan'])).toBe('Bolton, Bury and Wigan');
  });
});
