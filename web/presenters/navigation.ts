/** The service navigation: what a person may reach, with the current page marked. */
import { canAdminister, canImport, canRaise, canTriage } from '../../domain/access.ts';
import type { Actor } from '../../domain/barrier/types.ts';

export interface NavItem {
  href: string;
  text: string;
  active: boolean;
}

export function navigation(user: Actor | null, path: string, mailbox: boolean): NavItem[] {
  if (!user) return [];
  return [
    { href: '/barriers', text: 'Barriers' },
    ...(canRaise(user, user.locality ?? '')
      ? [{ href: '/barriers/new', text: 'Raise a barrier' }]
      : []),
    ...(canTriage(user) ? [{ href: '/triage', text: 'Triage' }] : []),
    { href: '/asks', text: 'Whitehall asks' },
    { href: '/dashboard', text: 'SLA dashboard' },
    ...(canImport(user) ? [{ href: '/import', text: 'Import' }] : []),
    ...(canAdminister(user) ? [{ href: '/admin', text: 'Administration' }] : []),
    ...(mailbox ? [{ href: '/dev/mailbox', text: 'Mailbox' }] : []),
  ].map((i) => ({
    ...i,
    active:
      path === i.href ||
      ((i.href === '/admin' || i.href === '/import') && path.startsWith(`${i.href}/`)),
  }));
}
