/** Thrown (and retried) while the directory has nobody to route a barrier to. */
export class NobodyToRouteTo extends Error {
  override readonly name = 'NobodyToRouteTo';
}
