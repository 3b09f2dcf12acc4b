/**
 * createServices(data, temporal, config): every use case, built once. Both
 * front ends (api/ and web/) and auth/ receive only the object this returns:
 * never a model, never the Temporal client. Each method is a service module's
 * function with its dependencies bound, so a route says what it wants done
 * and a route test can hand the app fake services.
 */
import type { Client } from '@temporalio/client';
import type { Policy } from '../domain/policy/policy.ts';
import type { Models } from '../store/models.ts';
import { withReadStamps, type StampName } from '../store/read-cache.ts';
import * as asks from './asks.ts';
import * as audit from './audit.ts';
import * as barriers from './barriers.ts';
import { readDashboard, readDashboardStandingFigures } from './dashboard.ts';
import type { ServiceDeps } from './deps.ts';
import * as directory from './directory.ts';
import * as evidencePacks from './evidence-pack/evidence-pack.ts';
import { barriersCsv } from './exports.ts';
import * as follows from './follows.ts';
import * as identity from './identity.ts';
import * as imports from './imports.ts';
import type { Logger } from './logger.ts';
import * as register from './open-register/register.ts';
import * as policies from './policies.ts';
import * as preferences from './preferences.ts';
import * as sessions from './sessions.ts';
import { triageQueue } from './triage.ts';
import * as webhooks from './webhooks.ts';

/** The data layer the services read and write. */
export interface DataLayer {
  models: Models;
  /** True when the database answers a ping within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
}

/** Temporal, where barriers and asks run. */
export interface TemporalDeps {
  client: Client;
  taskQueue: string;
}

/** What the services take from the application's settings. */
export interface ServicesConfig {
  /** The policy new barriers and asks start on (its newest stored version wins). */
  defaultPolicy: Policy;
  logger: Logger;
  /** Where people reach Golden Thread: links in exports (PUBLIC_BASE_URL). */
  publicBaseUrl?: string;
  /** Webhook secrets' key, allowed URLs and rotation overlap. */
  webhooks?: webhooks.WebhookServiceConfig;
}

/**
 * Binds a module's functions of `(deps, ...args)` to `deps`: the service's
 * methods take only what the caller knows.
 */
type Bound<F> = F extends (deps: never, ...args: infer A) => infer R ? (...args: A) => R : never;
function bind<F extends (deps: ServiceDeps, ...args: never[]) => unknown>(
  deps: ServiceDeps,
  f: F,
): Bound<F> {
  return ((...args: never[]) => f(deps, ...args)) as Bound<F>;
}

/** Every use case, built once over the data layer and Temporal. */
export function createServices(data: DataLayer, temporal: TemporalDeps, config: ServicesConfig) {
  const deps: ServiceDeps = {
    models: data.models,
    client: temporal.client,
    taskQueue: temporal.taskQueue,
    defaultPolicy: config.defaultPolicy,
    logger: config.logger,
    publicBaseUrl: config.publicBaseUrl,
    webhooks: config.webhooks,
  };
  const b = <F extends (deps: ServiceDeps, ...args: never[]) => unknown>(f: F) => bind(deps, f);
  return {
    identity: {
      resolve: b(identity.resolveIdentity),
      signInPerson: b(identity.signInPerson),
      signInChoices: b(identity.signInChoices),
    },
    sessions: {
      live: b(sessions.liveSession),
      create: b(sessions.createSession),
      end: b(sessions.endSession),
      setActingAs: b(sessions.setActingAs),
    },
    barriers: {
      visible: b(barriers.visibleBarrier),
      withTimeline: b(barriers.visibleBarrierWithTimeline),
      reread: b(barriers.rereadBarrier),
      list: b(barriers.listVisibleBarriers),
      page: b(barriers.pageOfVisibleBarriers),
      csv: b(barriersCsv),
      raise: b(barriers.raiseBarrier),
      act: b(barriers.actOnVisibleBarrier),
      followers: b(follows.followersOf),
      setFollowing: b(follows.setFollowing),
      /** The directory's names of the people a page mentions, by email. */
      namesOf: b(barriers.namesOfPeople),
    },
    triage: { queue: b(triageQueue) },
    asks: {
      list: b(asks.listVisibleAsks),
      all: b(asks.allVisibleAsks),
      page: b(asks.pageOfVisibleAsks),
      visible: b(asks.visibleAsk),
      detail: b(asks.askDetail),
      /** An ask's evidence in full and its history, for its page. */
      withEvidence: b(asks.askWithEvidence),
      create: b(asks.createAsk),
      reread: b(asks.rereadAsk),
      act: b(asks.actOnVisibleAsk),
      detailAfterChange: b(asks.askDetailAfterChange),
    },
    evidencePacks: { document: b(evidencePacks.askPackDocument) },
    /** GMCA's side of the open register: previewing, publishing and withdrawing an ask. */
    publications: {
      of: b(register.publicationOf),
      preview: b(register.previewPublication),
      publish: b(register.publish),
      withdraw: b(register.withdrawPublication),
    },
    /** The open register as anyone reads it, signed in or not. */
    openRegister: {
      list: b(register.openRegister),
      ask: b(register.openAsk),
      pack: b(register.openAskPack),
    },
    dashboard: { read: b(readDashboard), standing: b(readDashboardStandingFigures) },
    directory: {
      localities: b(directory.listLocalities),
      localityChoices: b(directory.localityChoices),
      localityPostCandidates: b(directory.localityPostCandidates),
      setLocalityAssignments: b(directory.setLocalityAssignments),
      setNeighbourhoodAssignments: b(directory.setNeighbourhoodAssignments),
      people: b(directory.listPeople),
      findPeople: b(directory.findPeople),
      openBarriersOwnedBy: b(directory.openBarriersOwnedBy),
      person: b(directory.getPerson),
      personExists: b(directory.personExists),
      assignmentsOf: b(directory.assignmentsOf),
      putPerson: b(directory.putPerson),
      setAvailability: b(directory.setAvailability),
      removeAccess: b(directory.removeAccess),
      endSessions: b(directory.endSessions),
    },
    policies: {
      /** The policy new barriers start on, before any newer version is stored. */
      defaultPolicy: config.defaultPolicy,
      versions: b(policies.listPolicyVersions),
      openBarrierCounts: b(policies.openBarrierCounts),
      add: b(policies.addPolicyVersion),
      planMigration: b(policies.planMigration),
      startMove: b(policies.startPolicyMove),
      move: b(policies.policyMove),
    },
    imports: {
      check: b(imports.checkImportFile),
      visible: b(imports.visibleImport),
      recent: b(imports.recentImports),
      start: b(imports.startImport),
      plannedRows: b(imports.plannedRows),
    },
    audit: { list: b(audit.listAudit), page: b(audit.auditPage), context: b(audit.auditContext) },
    webhooks: {
      list: b(webhooks.listWebhooks),
      get: b(webhooks.getWebhook),
      create: b(webhooks.createWebhook),
      change: b(webhooks.changeWebhook),
      delete: b(webhooks.deleteWebhook),
      pause: b(webhooks.pauseWebhook),
      resume: b(webhooks.resumeWebhook),
      rotateSecret: b(webhooks.rotateWebhookSecret),
      deliveries: b(webhooks.webhookDeliveries),
      redeliver: b(webhooks.redeliverWebhook),
    },
    preferences: { get: b(preferences.getPreferences), set: b(preferences.setPreferences) },
    requests: {
      /**
       * Runs one request's work reading the read model's stamps at most once
       * (store/read-cache.ts); a request that writes takes only `names`.
       */
      withReadStamps: <T>(fn: () => T, names?: readonly StampName[]) =>
        withReadStamps(data.models, fn, names),
    },
    health: { database: (timeoutMs?: number) => data.ping(timeoutMs) },
  };
}

/** Every use case, as both front ends receive them. */
export type Services = ReturnType<typeof createServices>;
