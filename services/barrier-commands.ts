/**
 * A barrier action request turned into the workflow's command: people and
 * policies looked up in the directory and store, and refused with the field
 * that names what is not there.
 */
import { canOwn, canOwnAtGm, type BarrierScope } from '../domain/access.ts';
import type { BarrierCommand } from '../domain/barrier/types.ts';
import type { BarrierActionRequest } from '../domain/barrier/schemas.ts';
import type { Models } from '../store/models.ts';
import { getPolicy } from '../store/policy-store.ts';
import { Rejected, invalidField } from './errors.ts';
import { NoAccess, actorsOf } from './identity.ts';

/** Turns a request into the workflow's command, looking up people and policies. */
export async function resolveCommand(
  models: Models,
  action: BarrierActionRequest,
  barrier: { policyId: string; scope: BarrierScope },
): Promise<BarrierCommand> {
  const currentPolicyId = barrier.policyId;
  switch (action.type) {
    case 'reassign': {
      // The new owner must be someone the directory lets in, in a role that sees this barrier.
      let owner: Awaited<ReturnType<typeof actorsOf>>;
      try {
        owner = await actorsOf({ models }, action.to);
      } catch (err) {
        if (!(err instanceof NoAccess)) throw err;
        throw invalidField(
          `${action.to} cannot own barriers: ${err.detail}`,
          'body.to',
          'is not a person with a role in the directory',
        );
      }
      // Any of their roles will do, except admin alone: owners act on barriers, admins run the system.
      if (!owner.actors.some((a) => canOwn(a, barrier.scope))) {
        throw invalidField(
          `${action.to} cannot own this barrier: their role and area do not cover it.`,
          'body.to',
          'is not someone whose role and area cover this barrier',
        );
      }
      return {
        type: 'reassign',
        to: { email: owner.email, name: owner.name },
        reason: action.reason,
      };
    }
    case 'migrate-policy': {
      const policyId = action.policyId ?? currentPolicyId;
      const policy = await getPolicy(models, policyId, action.policyVersion);
      if (!policy) {
        throw invalidField(
          `There is no policy ${policyId} version ${action.policyVersion}.`,
          'body.policyVersion',
          `is not a version of policy ${policyId}`,
        );
      }
      return { type: 'migrate-policy', policy };
    }
    case 'accept': {
      const person = await models.Person.findById(action.owner).lean();
      if (!person || !canOwnAtGm(person.roles)) {
        throw invalidField(
          `${action.owner} is not GMCA triage staff in the directory.`,
          'body.owner',
          'is not a GMCA triage person in the directory',
        );
      }
      return {
        type: 'accept',
        owner: { email: person._id, name: person.name },
        resolveTarget: action.resolveTarget,
      };
    }
    case 'merge':
    case 'link': {
      const field = action.type === 'merge' ? 'into' : 'with';
      const otherId = action.type === 'merge' ? action.into : action.with;
      const other = await models.Barrier.findById(otherId, { status: 1 }).lean();
      if (!other) {
        throw invalidField(`${otherId} is not a barrier.`, `body.${field}`, 'is not a barrier');
      }
      if (action.type === 'merge') {
        if (other.status !== 'open')
          throw new Rejected(`${otherId} is ${other.status}: merge into an open barrier.`);
        return { type: 'merge', into: otherId, reason: action.reason };
      }
      return { type: 'link', with: otherId };
    }
    case 'promote':
      throw new Error('promote is handled by the asks service');
    default:
      return action;
  }
}
