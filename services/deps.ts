/** What the use cases need: the Temporal client and task queue, the store, the default policy. */
import type { Client } from '@temporalio/client';
import type { Policy } from '../domain/policy/policy.ts';
import type { Models } from '../store/models.ts';
import type { Logger } from './logger.ts';
import type { WebhookServiceConfig } from './webhooks.ts';

export interface ServiceDeps {
  client: Client;
  taskQueue: string;
  models: Models;
  /** The policy new barriers and asks start on (its newest stored version wins). */
  defaultPolicy: Policy;
  logger: Logger;
  /** Where people reach Golden Thread: links in exports (PUBLIC_BASE_URL). */
  publicBaseUrl?: string;
  /** Webhook secrets' key, allowed URLs and rotation overlap (config.ts `webhooks`). */
  webhooks?: WebhookServiceConfig;
}
