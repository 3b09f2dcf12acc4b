/**
 * The layering rules are enforced, not remembered: a deliberate import across
 * a forbidden boundary fails `npm run check`'s lint.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The project's own config, less the rules that need type information (a whole
// program takes half a minute to build; the import rules need none of it).
const eslint = new ESLint({ overrideConfig: [tseslint.configs.disableTypeChecked] });

/** The rules `code` breaks when it is the file at `filePath`. */
async function brokenRules(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint zones', { timeout: 60_000 }, () => {
  it('refuse a model, a query or the Temporal client in a page route', async () => {
    const rules = await brokenRules(
      'web/routes/raise.ts',
      [
        "import type { Models } from '../../store/models.ts';",
        "import { Client } from '@temporalio/client';",
        'export const x: Models | Client | undefined = undefined;',
      ].join('\n'),
    );
    expect(rules.filter((r) => r === 'no-restricted-imports')).toHaveLength(2);
  });

  it('refuse the data layer in an API router and in sign-in', async () => {
    for (const file of ['api/routers/barriers.ts', 'auth/bearer.ts']) {
      const rules = await brokenRules(
        file,
        "import { getBarrier } from '../../store/barrier-queries.ts';\nexport const y = getBarrier;\n".replace(
          '../../',
          file.startsWith('auth') ? '../' : '../../',
        ),
      );
      expect(rules).toContain('no-restricted-imports');
    }
  });

  it('refuse the local stack scripts in production code', async () => {
    const rules = await brokenRules(
      'worker/main.ts',
      "import { runScript } from '../scripts/lib/run-script.ts';\nexport const z = runScript;\n",
    );
    expect(rules).toContain('import-x/no-restricted-paths');
  });

  it('let a page route use the services', async () => {
    const rules = await brokenRules(
      'web/routes/raise.ts',
      "import type { Services } from '../../services/create-services.ts';\nexport const s: Services | undefined = undefined;\n",
    );
    expect(rules).toEqual([]);
  });
});
