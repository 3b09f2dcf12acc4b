/** Every workflow the worker registers. */
export { barrierWorkflow } from './barrier/barrier-workflow.ts';
export { dailyDigestWorkflow } from './digest/digest-workflow.ts';
export { askWorkflow } from './ask/ask-workflow.ts';
export { importWorkflow } from './import/import-workflow.ts';
export { policyMoveWorkflow } from './policy/policy-move-workflow.ts';
export { webhookSubscriptionWorkflow } from './webhooks/webhook-workflow.ts';
