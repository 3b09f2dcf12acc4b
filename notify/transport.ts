/**
 * The one interface every email transport implements, and the two ways a
 * send can fail: for now (retry) or for good (record and move on).
 */
import type { EmailKind } from '../domain/notifications/coalesce.ts';

/** A rendered message addressed to one person. */
export interface OutgoingEmail {
  /** The idempotency key: also the Message-ID's local part and Notify's `reference`. */
  key: string;
  /** A planned message's kind, or `combined` for several barriers' news in one email. */
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  personalisation: Record<string, string>;
}

export interface EmailTransport {
  readonly name: string;
  /** Sends one message; resolves with the transport's id for it. */
  send(message: OutgoingEmail): Promise<{ id: string }>;
  close(): Promise<void>;
}

/** The message can never be delivered (a bad address): record it, do not retry. */
export class PermanentRejection extends Error {
  override readonly name = 'PermanentRejection';
}
