/** Seeded people by role, for tests. */
import type { Claims } from '../../auth/tokens.ts';
import { buildSeedDirectory } from '../../store/seed/directory-data.ts';

const dir = buildSeedDirectory();

export function localityLead(locality: string): Claims {
  const l = dir.localities.find((x) => x._id === locality)!;
  return { sub: l.leads[0]!, role: 'locality-lead', locality: locality as Claims['locality'] };
}

export function neighbourhood(locality: string, slug: string) {
  return dir.localities
    .find((x) => x._id === locality)!
    .neighbourhoods.find((n) => n.slug === slug)!;
}

export function neighbourhoodLead(locality: string, slug: string): Claims {
  return {
    sub: neighbourhood(locality, slug).lead,
    role: 'neighbourhood-lead',
    locality: locality as Claims['locality'],
    neighbourhood: slug,
  };
}

export const gmcaTriage = (): Claims => ({
  sub: dir.people.find((p) => p.roles.includes('gmca-triage'))!.email,
  role: 'gmca-triage',
});
export const admin = (): Claims => ({
  sub: dir.people.find((p) => p.roles.includes('admin'))!.email,
  role: 'admin',
});
export const gmcaTeam = () =>
  dir.people.filter((p) => p.roles.includes('gmca-triage')).map((p) => p.email);
