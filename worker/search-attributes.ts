/** Registers Golden Thread's search attributes on a namespace, idempotently. */
import type { Connection } from '@temporalio/client';
// CommonJS package: Node's ESM loader offers only its default export.
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.ts';

/** gRPC status code 12. */
const GRPC_UNIMPLEMENTED = 12;

const { IndexedValueType } = proto.temporal.api.enums.v1;

const TYPES = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/**
 * Adds any of our search attributes the namespace lacks. Returns the names it
 * could not add (for example where the cluster does not allow it), so the
 * caller can say what an operator must do.
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
): Promise<string[]> {
  let have = new Set<string>();
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    have = new Set(Object.keys(existing.customAttributes ?? {}));
  } catch (err) {
    // Temporal's Java test server can add search attributes but not list them.
    if ((err as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw err;
  }
  const missing = Object.entries(SEARCH_ATTRIBUTES).filter(([name]) => !have.has(name));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, TYPES[type]])),
    });
    return [];
  } catch {
    return missing.map(([name]) => name);
  }
}
