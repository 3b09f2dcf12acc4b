/**
 * What each email says: a subject that starts with the barrier's reference,
 * a plain-text and an HTML part, and the same content as GOV.UK Notify
 * personalisation fields (documented in the README).
 *
 * Everything people typed is escaped in the HTML part. Dates, spans of time
 * and names are in words, from the same formatting module as the pages.
 */
import type { TimelineEvent } from '../domain/barrier/types.ts';
import type { CalendarName } from '../domain/calendar/working-time.ts';
import {
  eventName,
  formatDateTime,
  formatIsoDay,
  formatSpan,
  formatTimeRange,
  outcomeName,
  sentence,
  stageName,
} from '../domain/format/index.ts';
import type { MessageKind } from '../domain/notifications/messages.ts';

/** A rendered message, ready for any transport. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** GOV.UK Notify personalisation: every template receives these fields. */
  personalisation: Record<string, string>;
}

/** What a barrier email needs to know. */
export interface BarrierMessageContext {
  kind: MessageKind;
  event: TimelineEvent;
  recipient: { email: string; name: string | null };
  /** The reader follows the barrier (they neither raised nor own it). */
  follower?: boolean;
  barrier: {
    reference: string;
    title: string;
    localityName: string;
    neighbourhoodName: string;
    stage: string;
    calendar: CalendarName;
    ownerName: string | null;
    acknowledgeDueAt: number | null;
    resolveDueAt: number | null;
  };
  link: string;
}

/** A one-subject email's plain-text part: greeting, each line, where to open it, signature. */
function plainText(greeting: string, lines: readonly string[], open: string): string {
  return [greeting, '', ...lines.flatMap((l) => [l, '']), open, '', '-- ', 'Golden Thread'].join(
    '\n',
  );
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const clockVerb = (clock: unknown) => (clock === 'resolve' ? 'resolve' : 'acknowledge');

interface Content {
  subject: string;
  headline: string;
  details: string[];
  nextStep: string;
}

/** The same news for someone who follows the barrier: not "you raised", no action asked of them. */
function asFollower(content: Content): Content {
  return {
    subject: content.subject,
    headline: content.headline.replace('The barrier you raised', 'A barrier you follow'),
    details: content.details.map((d) =>
      d.replace(/^Its timeline and you, as its raiser,/, 'Its timeline'),
    ),
    nextStep:
      'No action is needed: you follow this barrier. Unfollow it from its page to stop these emails.',
  };
}

function barrierContent(c: BarrierMessageContext): Content {
  const { event, barrier } = c;
  const d = event.details;
  const title = barrier.title;
  const due = (ms: number | null) => (ms === null ? 'not set' : formatDateTime(ms));
  switch (c.kind) {
    case 'assigned':
      if (event.type === 'triaged')
        return {
          subject: `Accepted by GMCA, yours to resolve: ${title}`,
          headline: `GMCA triage accepted this barrier and made you its owner at the GMCA stage.`,
          details: [`Resolve by ${due(barrier.resolveDueAt)}.`],
          nextStep: 'Open the barrier and work on it, or promote it into a Whitehall ask.',
        };
      return {
        subject: `Assigned to you: ${title}`,
        headline: `This barrier is now yours at the ${stageName(barrier.stage)} stage.`,
        details: [
          `Acknowledge by ${due(barrier.acknowledgeDueAt)}.`,
          `Resolve by ${due(barrier.resolveDueAt)}.`,
        ],
        nextStep:
          'Open the barrier and acknowledge it, then work on it, ask the raiser for information or escalate it.',
      };
    case 'warning': {
      const left = formatSpan(num(d.remainingMs) ?? 0, barrier.calendar);
      const verb = clockVerb(d.clock);
      return {
        subject: `${left} left to ${verb}: ${title}`,
        headline: `You have ${left} left to ${verb} this barrier at the ${stageName(event.stage)} stage.`,
        details: [`It is due by ${due(num(d.dueAt))}.`],
        nextStep:
          verb === 'acknowledge'
            ? 'Open the barrier and acknowledge it before the deadline, or it escalates.'
            : 'Open the barrier and resolve it, or record what is blocking it, before the deadline.',
      };
    }
    case 'breached': {
      const escalated = barrier.stage !== event.stage;
      return {
        // Which deadline: a reader must tell an acknowledge miss from a resolve miss in their inbox.
        subject: `${clockVerb(d.clock) === 'resolve' ? 'Resolve' : 'Acknowledge'} deadline missed: ${title}`,
        headline: `The deadline to ${clockVerb(d.clock)} this barrier at the ${stageName(event.stage)} stage passed at ${due(num(d.dueAt))}.`,
        details: escalated
          ? [
              `It has escalated to the ${stageName(barrier.stage)} stage, now owned by ${barrier.ownerName ?? 'the next owner'}.`,
            ]
          : ['It stays at this stage and shows as breached.'],
        nextStep: escalated
          ? 'No action is needed from you, but you can add what you know as a comment.'
          : 'Open the barrier and act on it now.',
      };
    }
    case 'escalated':
      // The new owner hears it from the routing that followed the escalation.
      if (event.type === 'routed')
        return {
          subject: `Escalated to you: ${title}`,
          headline: `This barrier escalated to the ${stageName(barrier.stage)} stage and is now yours.`,
          details: [
            `Acknowledge by ${due(barrier.acknowledgeDueAt)}.`,
            `Resolve by ${due(barrier.resolveDueAt)}.`,
          ],
          nextStep: 'Open the barrier and acknowledge it, then work on it or escalate it.',
        };
      return {
        subject: `Escalated to ${stageName(text(d.to) || barrier.stage)}: ${title}`,
        headline: `This barrier moved from the ${stageName(text(d.from))} stage to the ${stageName(text(d.to))} stage${d.automatic === true ? ' because a deadline was missed' : ''}.`,
        details: [
          `Reason: ${text(d.reason)}.`,
          `It is now owned by ${barrier.ownerName ?? 'the next owner'}.`,
        ],
        nextStep: 'No action is needed from you; open the barrier to follow its progress.',
      };
    case 'info-requested':
      return {
        subject: `Information requested: ${title}`,
        headline: `${event.actor} asked for information; the SLA clock is paused until you answer.`,
        details: [`Question: ${text(d.question)}`],
        nextStep: 'Open the barrier and provide the information.',
      };
    case 'resolved':
      return {
        subject: `Resolved: ${title}`,
        headline: `The barrier you raised was resolved by ${event.actor}.`,
        details: [`Resolution: ${text(d.resolution)}`],
        nextStep:
          'If it is not resolved for you, reopen it from the barrier page while the reopen window lasts.',
      };
    case 'closed':
      return {
        subject: `Closed: ${title}`,
        headline: `The barrier you raised was closed by ${event.actor}.`,
        details: [`Reason: ${text(d.reason)}`],
        nextStep:
          'No action is needed unless you disagree; you can reopen it while the reopen window lasts.',
      };
    case 'returned':
      return {
        subject: `Returned to the locality: ${title}`,
        headline:
          event.type === 'routed'
            ? 'GMCA triage returned this barrier to the locality stage; it is now yours.'
            : 'GMCA triage returned this barrier to the locality stage.',
        details: [`Reason: ${text(d.reason) || 'see the barrier'}`],
        nextStep:
          event.type === 'routed'
            ? 'Open the barrier, acknowledge it and act on the reason given.'
            : 'Open the barrier to see the reason and what happens next.',
      };
    case 'merged':
      return d.direction === 'into'
        ? {
            subject: `Merged into ${text(d.into)}: ${title}`,
            headline: `GMCA triage found this barrier is the same as ${text(d.into)} and merged it there.`,
            details: [
              `Its timeline and you, as its raiser, now follow ${text(d.into)}; you will hear its outcome.`,
            ],
            nextStep: `Follow ${text(d.into)} from now on.`,
          }
        : {
            subject: `${text(d.fromReference)} merged into it: ${title}`,
            headline: `GMCA triage merged ${text(d.fromReference)} (${text(d.fromLocality)}) into this barrier: more localities share it.`,
            details: ['Its timeline now shows beside this one.'],
            nextStep: 'No action is needed; open the barrier to see the joined timeline.',
          };
    case 'ask-submitted':
      return {
        subject: `In a Whitehall ask: ${title}`,
        headline: `GMCA submitted a formal ask of government (${text(d.askId)}) that includes this barrier.`,
        details: [`A response is due by ${due(num(d.dueAt))}.`],
        nextStep: 'No action is needed; you will hear the outcome.',
      };
    case 'ask-chased':
      return {
        subject: `Whitehall ask chased: ${title}`,
        headline: `GMCA chased the government department for a response to ask ${text(d.askId)}.`,
        details: [`This was chaser ${num(d.chaser) ?? ''}.`],
        nextStep: 'No action is needed; you will hear the outcome.',
      };
    case 'ask-outcome':
      return {
        subject: `Whitehall answered (${outcomeName(text(d.outcome))}): ${title}`,
        headline: `The outcome of ask ${text(d.askId)} is ${outcomeName(text(d.outcome))}.`,
        details: [
          text(d.response) ? `Response: ${text(d.response)}` : 'No response was received.',
          d.outcome === 'agreed'
            ? 'The barrier is closed.'
            : 'The barrier is back with GMCA triage for a decision.',
        ],
        nextStep:
          d.outcome === 'agreed'
            ? 'No action is needed.'
            : 'GMCA will decide what happens next; open the barrier to follow it.',
      };
    default:
      return {
        subject: `Update: ${title}`,
        headline: `${sentence(eventName(event.type))} at the ${stageName(event.stage)} stage.`,
        details: [],
        nextStep: 'Open the barrier for details.',
      };
  }
}

function layout(
  heading: string,
  greeting: string,
  paragraphs: string[],
  link: { href: string; label: string },
): string {
  const p = (s: string) =>
    `<p style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.3; color: #0b0c0c;">${escapeHtml(s)}</p>`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>' + escapeHtml(heading) + '</title></head>',
    '<body style="margin: 0; padding: 20px;">',
    `<h1 style="font-family: Arial, sans-serif; font-size: 24px; color: #0b0c0c;">${escapeHtml(heading)}</h1>`,
    p(greeting),
    ...paragraphs.map(p),
    `<p style="font-family: Arial, sans-serif; font-size: 19px;"><a href="${escapeHtml(link.href)}" style="color: #1d70b8;">${escapeHtml(link.label)}</a></p>`,
    '<p style="font-family: Arial, sans-serif; font-size: 16px; color: #505a5f;">Golden Thread: tackling barriers to integrated public services in Greater Manchester.</p>',
    '</body></html>',
  ].join('\n');
}

/** Renders one barrier email. */
export function renderBarrierMessage(c: BarrierMessageContext): RenderedMessage {
  const content = c.follower ? asFollower(barrierContent(c)) : barrierContent(c);
  const b = c.barrier;
  const subject = `[${b.reference}] ${content.subject}`;
  const place = `${b.neighbourhoodName}, ${b.localityName}`;
  const greeting = `Dear ${c.recipient.name ?? c.recipient.email},`;
  const lines = [
    content.headline,
    `Barrier: ${b.reference} "${b.title}" (${place}).`,
    ...content.details,
    `What to do next: ${content.nextStep}`,
  ];
  const text = plainText(greeting, lines, `Open the barrier: ${c.link}`);
  return {
    subject,
    text,
    html: layout(subject, greeting, lines, { href: c.link, label: `Open ${b.reference}` }),
    personalisation: {
      subject,
      reference: b.reference,
      title: b.title,
      locality: b.localityName,
      neighbourhood: b.neighbourhoodName,
      stage: stageName(b.stage),
      recipient_name: c.recipient.name ?? c.recipient.email,
      headline: content.headline,
      details: content.details.join('\n'),
      next_step: content.nextStep,
      link: c.link,
    },
  };
}

/** One line of a digest. */
export interface DigestItem {
  reference: string;
  title: string;
  place: string;
  stage: string;
  /** `overdue` since an instant, or `at-risk` with a deadline, or an `update` deferred to the digest. */
  state: 'overdue' | 'at-risk' | 'update';
  at: number | null;
  note: string;
  link: string;
}

/** Renders a person's daily digest. */
export function renderDigest(input: {
  recipient: { email: string; name: string | null };
  date: string;
  items: DigestItem[];
  link: string;
}): RenderedMessage {
  const overdue = input.items.filter((i) => i.state === 'overdue').length;
  const atRisk = input.items.filter((i) => i.state === 'at-risk').length;
  const updates = input.items.filter((i) => i.state === 'update').length;
  const counts = [
    overdue ? `${overdue} overdue` : '',
    atRisk ? `${atRisk} at risk` : '',
    updates ? `${updates} update${updates === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  const day = formatIsoDay(input.date);
  const subject = `[Golden Thread] Your barriers on ${day}: ${counts.join(', ')}`;
  const describe = (i: DigestItem) =>
    i.state === 'update'
      ? `${i.title} (${i.note})`
      : `[${i.reference}] ${i.title} (${i.place}, ${stageName(i.stage)} stage): ${i.note}`;
  const greeting = `Dear ${input.recipient.name ?? input.recipient.email},`;
  const intro = 'These barriers need you, most delayed first.';
  const lines = input.items.map(describe);
  return {
    subject,
    text: [
      greeting,
      '',
      intro,
      '',
      ...input.items.flatMap((i) => [`- ${describe(i)}`, `  ${i.link}`]),
      '',
      `All your barriers: ${input.link}`,
      '',
      '-- ',
      'Golden Thread',
    ].join('\n'),
    html: layout(subject, greeting, [intro, ...lines], {
      href: input.link,
      label: 'Open your barriers',
    }),
    personalisation: {
      subject,
      recipient_name: input.recipient.name ?? input.recipient.email,
      date: day,
      summary: counts.join(', '),
      items: lines.map((l) => `* ${l}`).join('\n'),
      link: input.link,
    },
  };
}

/** What an email about a Whitehall ask says to its GMCA owner (alone, or in a combined email). */
export interface AskMessageContext {
  kind: MessageKind;
  event: { type: string; at: number; details: Record<string, unknown> };
  recipient: { email: string; name: string | null };
  ask: {
    reference: string;
    title: string;
    departmentName: string;
    barrierCount: number;
    dueAt: number | null;
  };
  link: string;
}

function askContent(c: AskMessageContext): Content {
  const d = c.event.details;
  const due = c.ask.dueAt === null ? 'not set' : formatDateTime(c.ask.dueAt);
  return c.kind === 'ask-submitted'
    ? {
        subject: `Submitted to ${c.ask.departmentName}: ${c.ask.title}`,
        headline: `The ask was submitted to ${c.ask.departmentName}, bundling ${c.ask.barrierCount} barrier${c.ask.barrierCount === 1 ? '' : 's'}.`,
        details: [`A response is due by ${due}.`],
        nextStep: 'Record the response on the ask when it arrives.',
      }
    : c.kind === 'ask-chased'
      ? {
          subject:
            `Chaser ${num(d.chaser) ?? ''} due to ${c.ask.departmentName}: ${c.ask.title}`.replace(
              '  ',
              ' ',
            ),
          headline: `No response has been recorded; the response was due by ${due}.`,
          details: [
            d.automatic === true
              ? 'This chaser was sent on the policy cadence.'
              : 'A chaser was recorded by hand.',
          ],
          nextStep: `Chase ${c.ask.departmentName} for a response and record it on the ask.`,
        }
      : {
          subject: `Outcome ${outcomeName(text(d.outcome))}: ${c.ask.title}`,
          headline: `The ask's outcome is ${outcomeName(text(d.outcome))}.`,
          details: [
            text(d.response) ? `Response: ${text(d.response)}` : 'No response was received.',
          ],
          nextStep:
            d.outcome === 'agreed'
              ? 'No action is needed: the bundled barriers are closed.'
              : 'Decide what happens next to each bundled barrier: they are back at the GMCA stage.',
        };
}

/** An email to an ask's GMCA owner: submitted, chased, answered. */
export function renderAskMessage(c: AskMessageContext): RenderedMessage {
  const content = askContent(c);
  const subject = `[${c.ask.reference}] ${content.subject}`;
  const greeting = `Dear ${c.recipient.name ?? c.recipient.email},`;
  const lines = [content.headline, ...content.details, `What to do next: ${content.nextStep}`];
  return {
    subject,
    text: plainText(greeting, lines, `Open the ask: ${c.link}`),
    html: layout(subject, greeting, lines, { href: c.link, label: `Open ${c.ask.reference}` }),
    personalisation: {
      subject,
      reference: c.ask.reference,
      title: c.ask.title,
      locality: '',
      neighbourhood: '',
      stage: stageName('whitehall'),
      recipient_name: c.recipient.name ?? c.recipient.email,
      headline: content.headline,
      details: content.details.join('\n'),
      next_step: content.nextStep,
      link: c.link,
    },
  };
}

/** An item of a combined email: a barrier's news, or a Whitehall ask's to its GMCA owner. */
export type CombinedItem = BarrierMessageContext | AskMessageContext;

/** Whether a combined email's item is about a Whitehall ask. */
export const isAskItem = (c: CombinedItem): c is AskMessageContext => 'ask' in c;

/** The reference an item is listed under ("GT-0042", "ASK-0003"). */
export const itemReference = (c: CombinedItem): string =>
  isAskItem(c) ? c.ask.reference : c.barrier.reference;

/** "3 of your barriers", "2 of your Whitehall asks", "1 of your barriers and 1 of your Whitehall asks". */
function whatHappenedTo(items: readonly CombinedItem[]): string {
  const asks = items.filter(isAskItem).length;
  const barriers = items.length - asks;
  const part = (n: number, what: string) => `${n} of your ${what}`;
  return [barriers ? part(barriers, 'barriers') : '', asks ? part(asks, 'Whitehall asks') : '']
    .filter(Boolean)
    .join(' and ');
}

/**
 * Renders one email carrying several barriers' (and asks') news for one
 * person, most urgent first (the caller orders `items`): a subject with the
 * counts and the most urgent item, and, after an outage, when it was.
 */
export function renderCombined(input: {
  recipient: { email: string; name: string | null };
  items: readonly CombinedItem[];
  summary: string;
  outage: { from: number; to: number } | null;
  /** When it is sent (Notify's `date` field). */
  at: number;
  link: string;
}): RenderedMessage {
  const first = input.items[0]!;
  const firstTitle = isAskItem(first) ? first.ask.title : first.barrier.title;
  const subject = `[Golden Thread] ${input.summary}; most urgent [${itemReference(first)}] ${firstTitle}`;
  const greeting = `Dear ${input.recipient.name ?? input.recipient.email},`;
  const intro = input.outage
    ? `While Golden Thread was unavailable ${formatTimeRange(input.outage.from, input.outage.to)}, these happened, most urgent first.`
    : `These happened to ${whatHappenedTo(input.items)} together, most urgent first.`;
  const entries = input.items.map((c) => {
    if (isAskItem(c)) {
      const content = askContent(c);
      return {
        heading: `[${c.ask.reference}] ${content.subject} (Whitehall ask)`,
        lines: [content.headline, ...content.details, `What to do next: ${content.nextStep}`],
        link: c.link,
      };
    }
    const content = c.follower ? asFollower(barrierContent(c)) : barrierContent(c);
    const b = c.barrier;
    return {
      heading: `[${b.reference}] ${content.subject} (${b.neighbourhoodName}, ${b.localityName})`,
      lines: [content.headline, ...content.details, `What to do next: ${content.nextStep}`],
      link: c.link,
    };
  });
  const describe = (e: (typeof entries)[number]) => `${e.heading}. ${e.lines.join(' ')}`;
  return {
    subject,
    text: [
      greeting,
      '',
      intro,
      '',
      ...entries.flatMap((e) => [
        `- ${e.heading}`,
        ...e.lines.map((l) => `  ${l}`),
        `  ${e.link}`,
        '',
      ]),
      `All your barriers: ${input.link}`,
      '',
      '-- ',
      'Golden Thread',
    ].join('\n'),
    html: layout(subject, greeting, [intro, ...entries.map(describe)], {
      href: input.link,
      label: 'Open your barriers',
    }),
    // The digest's fields: Notify sends a combined email with the digest template.
    personalisation: {
      subject,
      recipient_name: input.recipient.name ?? input.recipient.email,
      date: formatDateTime(input.at),
      summary: input.outage ? intro : input.summary,
      items: entries.map((e) => `* ${describe(e)}`).join('\n'),
      link: input.link,
    },
  };
}

/** Tells an admin that a webhook subscription was disabled, and why (GOV.UK Notify: the digest template's fields). */
export function renderWebhookDisabled(c: {
  recipient: { email: string; name?: string | null };
  subscription: { id: string; name: string; url: string; reason: string };
  link: string;
}): RenderedMessage {
  const s = c.subscription;
  const subject = `Webhook ${s.name} was disabled`;
  const greeting = `Dear ${c.recipient.name ?? c.recipient.email},`;
  const lines = [
    `Golden Thread stopped sending events to ${s.name} (${s.url}) after a run of failed deliveries.`,
    `Why: ${s.reason}`,
    'Events go on being recorded for it. When its endpoint works again, resume the subscription and choose whether the events it missed are sent, in order, or dropped.',
  ];
  const text = plainText(greeting, lines, `Open the subscription: ${c.link}`);
  return {
    subject,
    text,
    html: layout(subject, greeting, lines, { href: c.link, label: `Open ${s.name}` }),
    personalisation: {
      subject,
      recipient_name: c.recipient.name ?? c.recipient.email,
      date: formatDateTime(Date.now()),
      summary: lines[0]!,
      items: `* ${s.reason}`,
      link: c.link,
    },
  };
}
