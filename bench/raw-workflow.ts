/** The raw engine's ceiling: a workflow that does nothing and completes. */
export async function rawWorkflow(): Promise<number> {
  return Promise.resolve(1);
}
