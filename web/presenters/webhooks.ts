/** Webhook subscriptions and their delivery log, as the admin pages show them. */
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from '../../domain/webhooks/events.ts';
import { LOCALITIES } from '../../domain/reference-data.ts';
import { formatDateTime, localityName } from '../../domain/format/index.ts';
import type { DeliveryView, WebhookView } from '../../services/webhooks.ts';

const STATUS_TAGS = {
  active: { text: 'Active', classes: 'govuk-tag--green' },
  paused: { text: 'Paused', classes: 'govuk-tag--grey' },
  disabled: { text: 'Disabled', classes: 'govuk-tag--red' },
} as const;

const DELIVERY_TAGS = {
  pending: { text: 'Waiting', classes: 'govuk-tag--yellow' },
  delivered: { text: 'Delivered', classes: 'govuk-tag--green' },
  dropped: { text: 'Dropped', classes: 'govuk-tag--grey' },
} as const;

const eventsText = (types: readonly string[]) =>
  types.length === WEBHOOK_EVENT_TYPES.length ? 'Every event' : `${types.length} kinds of event`;

export function webhookRows(subs: readonly WebhookView[]) {
  return subs.map((s) => [
    { text: s.name, href: `/admin/webhooks/${s.id}` },
    { text: s.url },
    { text: eventsText(s.eventTypes) },
    { text: s.locality ? localityName(s.locality) : 'All localities' },
    { tags: [STATUS_TAGS[s.status]] },
  ]);
}

/** The form's values: what was posted, or the subscription being changed. */
export interface WebhookFormValues {
  name: string;
  url: string;
  eventTypes: string[];
  locality: string;
}

export function webhookFormView(values: WebhookFormValues) {
  return {
    values,
    eventItems: WEBHOOK_EVENT_TYPES.map((t) => ({
      value: t,
      text: WEBHOOK_EVENT_DESCRIPTIONS[t],
      hint: { text: t },
      checked: values.eventTypes.includes(t),
    })),
    localityItems: [
      { value: '', text: 'All localities', selected: values.locality === '' },
      ...LOCALITIES.map((l) => ({
        value: l,
        text: localityName(l),
        selected: values.locality === l,
      })),
    ],
  };
}

/** A string, or each string, from a posted field. */
export const postedList = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');

export function webhookFormValues(form: Record<string, unknown>): WebhookFormValues {
  const one = (k: string) => {
    const v = form[k];
    return typeof v === 'string' ? v.trim() : '';
  };
  return {
    name: one('name'),
    url: one('url'),
    eventTypes: postedList(form.eventTypes),
    locality: one('locality'),
  };
}

export function webhookSummary(s: WebhookView, now = Date.now()) {
  const rows = [
    { key: { text: 'URL' }, value: { text: s.url } },
    { key: { text: 'Status' }, value: { text: STATUS_TAGS[s.status].text } },
    ...(s.statusReason
      ? [
          {
            key: { text: s.status === 'disabled' ? 'Why it was disabled' : 'Why' },
            value: { text: s.statusReason },
          },
        ]
      : []),
    ...(s.statusChangedAt && s.status !== 'active'
      ? [
          {
            key: { text: 'Since' },
            value: { text: formatDateTime(Date.parse(s.statusChangedAt), now) },
          },
        ]
      : []),
    {
      key: { text: 'Events' },
      value: { text: s.eventTypes.map((t) => t).join(', ') },
    },
    {
      key: { text: 'Locality' },
      value: { text: s.locality ? localityName(s.locality) : 'All localities' },
    },
    {
      key: { text: 'Signing secrets' },
      value: {
        text: s.secrets
          .map((k) =>
            k.expiresAt
              ? `${k.id} (signs until ${formatDateTime(Date.parse(k.expiresAt), now)})`
              : `${k.id} (current, made ${formatDateTime(Date.parse(k.createdAt), now)})`,
          )
          .join('; '),
      },
    },
    {
      key: { text: 'Failures in a row' },
      value: {
        text:
          s.failures === 0
            ? 'None'
            : `${s.failures}, since ${formatDateTime(Date.parse(s.failingSince ?? s.updatedAt), now)}`,
      },
    },
    {
      key: { text: 'Added' },
      value: { text: `${formatDateTime(Date.parse(s.createdAt), now)} by ${s.createdBy}` },
    },
  ];
  return rows;
}

export function deliveryRows(deliveries: readonly DeliveryView[], now = Date.now()) {
  return deliveries.map((d) => {
    const last = d.log.at(-1);
    return {
      id: d.id,
      redeliverable: d.status !== 'pending',
      cells: [
        { text: d.eventType },
        {
          text: d.subjectId,
          href: d.subjectId.startsWith('ASK-')
            ? `/asks/${d.subjectId}`
            : `/barriers/${d.subjectId}`,
        },
        { text: formatDateTime(Date.parse(d.createdAt), now) },
        { tags: [DELIVERY_TAGS[d.status]] },
        { text: String(d.attempts) },
        {
          text: last
            ? `${last.status === null ? 'No response' : `Status ${last.status}`}, ${last.durationMs} ms`
            : 'Not tried yet',
        },
        { text: last?.error ?? '' },
      ],
    };
  });
}

export const DELIVERY_HEAD = [
  'Event',
  'Barrier or ask',
  'Recorded',
  'Status',
  'Attempts',
  'Last response',
  'Last error',
  'Action',
];
