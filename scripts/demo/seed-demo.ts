/**
 * `npm run seed -- --demo`: something to see on a first start. Sixty
 * realistic barriers across the ten localities, raised and moved along
 * through the running API (so through the real workflows): acknowledged,
 * paused awaiting information, escalated to the locality and to GMCA,
 * accepted at GM level, one pair merged, a Whitehall ask submitted with its
 * outcome and published on the open register, some resolved or withdrawn, and some left to breach.
 *
 * They run on a policy version of short targets (minutes, not working days)
 * so the clocks visibly move while you look; each barrier says so. Normal
 * targets are restored for every barrier raised after the demo.
 */
import { signToken, type Claims } from '../../auth/tokens.ts';
import type { PolicyInput } from '../../domain/policy/policy.ts';
import { DEMO_BARRIERS } from './demo-barriers.ts';

export const DEMO_POLICY_NAME = 'Demo: short targets (minutes, not days)';
/** Every demo barrier's description ends with this, and a search finds them by it. */
export const DEMO_MARK = 'Demo data from npm run seed -- --demo';

interface Person {
  email: string;
  roles: string[];
  locality: string | null;
  neighbourhood: string | null;
}

/** Thrown with a sentence for the person running the command. */
export class DemoError extends Error {
  override readonly name = 'DemoError';
}

export interface DemoOptions {
  apiUrl: string;
  authSecret: string;
  /** An admin in the directory, who adds the demo policy. */
  adminEmail: string;
  /**
   * The id of the policy new barriers use (the one `SLA_POLICY_FILE` names, or
   * `default`). When no version has it and the database holds one policy
   * only, that one is the default.
   */
  policyId?: string;
  log: (line: string) => void;
}

export interface DemoResult {
  barriers: string[];
  ask: string;
  alreadyThere: boolean;
}

/** Runs `work` over `items`, `n` at a time. */
async function pool<T>(items: T[], n: number, work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i]!, i);
    }),
  );
}

export async function seedDemo(o: DemoOptions): Promise<DemoResult> {
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${o.apiUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new DemoError(
        `Golden Thread is not answering at ${o.apiUrl}: start it first with npm start (and the same PORT).`,
      );
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok)
      throw new DemoError(
        `${method} ${path} answered ${res.status}: ${typeof json.detail === 'string' ? json.detail : ''}`,
      );
    return json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  const tokenFor = (p: Person, role = p.roles[0]) =>
    signToken(o.authSecret, {
      sub: p.email,
      role: role as Claims['role'],
      ...(p.locality && role !== 'gmca-triage' && role !== 'admin'
        ? { locality: p.locality as Claims['locality'] }
        : {}),
      ...(role === 'neighbourhood-lead' && p.neighbourhood
        ? { neighbourhood: p.neighbourhood }
        : {}),
    });

  const admin = await signToken(o.authSecret, { sub: o.adminEmail, role: 'admin' });
  const already = await call(
    admin,
    'GET',
    `/barriers?q=${encodeURIComponent(DEMO_MARK)}&limit=100`,
  );
  if ((already.items as unknown[]).length > 0) {
    o.log(
      `The demo data is already there (${(already.items as unknown[]).length} barriers); nothing to do.`,
    );
    return {
      barriers: (already.items as { id: string }[]).map((b) => b.id),
      ask: '',
      alreadyThere: true,
    };
  }

  const people = (await call(admin, 'GET', '/people')).items as Person[];
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const localities = (await call(admin, 'GET', '/localities')).items as {
    slug: string;
    leads: { email: string }[];
    neighbourhoods: { slug: string }[];
  }[];
  const gmca = people.find((p) => p.roles.includes('gmca-triage'));
  if (!gmca || localities.length === 0)
    throw new DemoError(
      'The directory has no GMCA triage staff or no localities: run npm run seed first.',
    );
  const gmcaToken = await tokenFor(gmca, 'gmca-triage');

  // Short targets for the demo's barriers, then the normal ones back for everyone else's.
  const versions = (await call(admin, 'GET', '/policies')).items as {
    id: string;
    version: number;
    policy: PolicyInput & { version: number };
  }[];
  const policyIds = new Set(versions.map((v) => v.id));
  const wanted = o.policyId ?? 'default';
  const policyId = policyIds.has(wanted) || policyIds.size !== 1 ? wanted : [...policyIds][0]!;
  const current = versions
    .filter((v) => v.id === policyId)
    .sort((a, b) => b.version - a.version)[0];
  if (!current)
    throw new DemoError(
      `There is no SLA policy called ${policyId}: start Golden Thread with the same SLA_POLICY_FILE, or run npm run seed first.`,
    );
  await call(admin, 'POST', '/policies', {
    ...current.policy,
    version: current.version + 1,
    name: DEMO_POLICY_NAME,
    calendar: '24x7',
    stages: {
      neighbourhood: { acknowledge: 'PT10M', resolve: 'PT2H' },
      locality: { acknowledge: 'PT15M', resolve: 'PT4H' },
      gmca: { acknowledge: 'PT30M', resolve: 'P2D' },
      whitehall: { acknowledge: 'P1D', resolve: 'P5D' },
    },
  });
  o.log(`Added policy version ${current.version + 1}: ${DEMO_POLICY_NAME}.`);

  const plan = Array.from({ length: DEMO_BARRIERS.length * 3 }, (_, i) => {
    const l = localities[((i % 10) + Math.floor(i / DEMO_BARRIERS.length)) % localities.length]!;
    return {
      kind: DEMO_BARRIERS[i % DEMO_BARRIERS.length]!,
      locality: l,
      neighbourhood: l.neighbourhoods[i % l.neighbourhoods.length]!.slug,
    };
  });
  const ids: string[] = [];
  const owners: string[] = [];
  try {
    await pool(plan, 4, async (p, i) => {
      const lead = byEmail.get(p.locality.leads[0]!.email)!;
      const raised = await call(await tokenFor(lead, 'locality-lead'), 'POST', '/barriers', {
        ...p.kind,
        description: `${p.kind.description}\n\n(${DEMO_MARK}, on the policy “${DEMO_POLICY_NAME}”.)`,
        locality: p.locality.slug,
        neighbourhood: p.neighbourhood,
      });
      ids[i] = raised.id as string;
      owners[i] = (raised.owner as { email: string }).email;
    });
  } finally {
    await call(admin, 'POST', '/policies', {
      ...current.policy,
      version: current.version + 2,
    });
  }
  o.log(
    `Raised ${ids.length} barriers; normal targets are back as policy version ${current.version + 2}.`,
  );

  const act = async (token: string, id: string, body: unknown) =>
    call(token, 'POST', `/barriers/${id}/actions`, body);
  const ownerToken = (i: number) => tokenFor(byEmail.get(owners[i]!)!);
  const leadToken = (i: number) =>
    tokenFor(byEmail.get(plan[i]!.locality.leads[0]!.email)!, 'locality-lead');

  // What happens to each, by its place in every ten: 0–1 acknowledged, 2 paused for
  // information, 3 escalated to the locality, 4–5 escalated on to GMCA, 6 resolved,
  // 7 withdrawn (every other time), 8–9 left alone to breach.
  await pool(ids, 4, async (id, i) => {
    switch (i % 10) {
      case 0:
      case 1:
        await act(await ownerToken(i), id, {
          type: 'acknowledge',
          note: 'Looking into it with partners this week.',
        });
        break;
      case 2:
        await act(await ownerToken(i), id, { type: 'acknowledge' });
        await act(await ownerToken(i), id, {
          type: 'request-info',
          reason: 'awaiting-information',
          question: 'Which services and how many families does this affect?',
        });
        break;
      case 3:
        await act(await leadToken(i), id, {
          type: 'escalate',
          reason: 'Needs the locality board: the budget is not ours.',
        });
        break;
      case 4:
      case 5:
        await act(await leadToken(i), id, {
          type: 'escalate',
          reason: 'Needs the locality board.',
        });
        await act(await leadToken(i), id, {
          type: 'escalate',
          reason: 'A national rule: only GM can take this on.',
        });
        break;
      case 6:
        await act(await ownerToken(i), id, { type: 'acknowledge' });
        await act(await ownerToken(i), id, {
          type: 'resolve',
          resolution: 'Partners agreed a local protocol; no change of rules needed.',
        });
        break;
      case 7:
        if (i % 20 === 7)
          await act(await leadToken(i), id, {
            type: 'withdraw',
            reason: 'Raised twice by mistake.',
          });
        break;
      default:
        break;
    }
  });
  o.log('Moved them along: acknowledged, paused, escalated, resolved and withdrawn.');

  // At GMCA: a duplicate merged, one accepted at GM level, two bundled into an ask.
  const atGmca = ids.filter((_, i) => i % 10 === 4 || i % 10 === 5);
  const [first, second, third, fourth] = atGmca as [string, string, string, string];
  const duplicate = ids[DEMO_BARRIERS.length + 4]!; // the same kind as ids[4], another locality
  await act(gmcaToken, duplicate, {
    type: 'merge',
    into: first,
    reason: 'The same barrier in two localities.',
  });
  await act(gmcaToken, second, { type: 'accept', owner: gmca.email, resolveTarget: 'P10D' });
  const ask = await call(gmcaToken, 'POST', '/asks', {
    title: 'Let partners share records for joint care without a new agreement each time',
    department: 'dhsc',
    ask: 'Issue a national data-sharing framework that covers neighbourhood teams across health and councils.',
    barrierIds: [third, fourth],
  });
  await call(gmcaToken, 'POST', `/asks/${ask.id}/actions`, { type: 'submit' });
  await call(gmcaToken, 'POST', `/asks/${ask.id}/actions`, {
    type: 'record-response',
    outcome: 'partially-agreed',
    response: 'The department will publish guidance; primary legislation is not planned.',
  });
  // Published on the open register, so /open has something on a first start.
  const publication = await call(gmcaToken, 'GET', `/asks/${ask.id}/publication`);
  await call(gmcaToken, 'PUT', `/asks/${ask.id}/publication`, {
    previewTag: publication.previewTag as string,
  });
  o.log(
    `GMCA merged ${duplicate} into ${first}, accepted ${second}, submitted ${ask.id as string} with its outcome and published it on the open register (/open).`,
  );
  return { barriers: ids, ask: ask.id as string, alreadyThere: false };
}
