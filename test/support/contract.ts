/**
 * The contract: a response must be one the OpenAPI document describes, for its
 * operation and status, and its body must validate against that response's
 * schema. Checked with ajv (JSON Schema 2020-12), independently of the zod
 * schemas the document is generated from.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../api/openapi.ts';

type Operation = {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};
const doc = openApiDocument() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

/** Drops `$schema` from subschemas: a dialect is declared once, by the root. */
function withoutDialect(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutDialect);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== '$schema')
        .map(([k, x]) => [k, withoutDialect(x)]),
    );
  return v;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'openapi', components: withoutDialect(doc.components) });
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

const templates = Object.keys(doc.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
}));

/**
 * What is wrong with this response by the document, or undefined when it is
 * one the document describes. Requests outside /api/v1, to paths the document
 * does not have (404 by design), and to the document itself are not checked.
 */
export function contractProblem(
  method: string,
  url: string,
  status: number,
  contentType: string | null,
  body: unknown,
): string | undefined {
  const path = new URL(url, 'http://x').pathname;
  if (!path.startsWith('/api/v1/') || path === '/api/v1/openapi.json') return undefined;
  const rest = path.slice('/api/v1'.length);
  const template = templates.find((t) => t.pattern.test(rest))?.template;
  const op = template ? doc.paths[template]?.[method.toLowerCase()] : undefined;
  if (!template || !op) return undefined;
  const response = op.responses[String(status)];
  const where = `${method} ${template} → ${status}`;
  if (!response) return `${where} is not a status the document lists`;
  const media = (contentType ?? '').split(';')[0]!.trim();
  const content = response.content?.[media];
  if (!content) {
    return response.content && body !== undefined
      ? `${where} answered ${media}, which the document does not list`
      : undefined;
  }
  if (content.schema === undefined) return undefined;
  const key = `${where} ${media}`;
  let validate = compiled.get(key);
  if (!validate) {
    const s = JSON.parse(
      JSON.stringify(withoutDialect(content.schema)).replace(
        /"#\/components\//g,
        '"openapi#/components/',
      ),
    ) as object;
    validate = ajv.compile(s);
    compiled.set(key, validate);
  }
  if (validate(body)) return undefined;
  return `${where}: the body does not match the document: ${ajv.errorsText(validate.errors, { separator: '; ' })}`;
}
