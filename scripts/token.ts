/**
 * `npm run -s token -- --role R [--locality L] [--neighbourhood N] --email E [--ttl 8h]`
 * prints a development bearer token signed with AUTH_SECRET (refused in
 * production). It proves the email; the directory decides what that person
 * may do, and a role it does not give them is refused.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { claimsSchema, signToken } from '../auth/tokens.ts';
import { runScript } from './lib/run-script.ts';

await runScript('token', async () => {
  if (process.env.NODE_ENV === 'production') {
    console.error(
      'token: development tokens are refused in production; callers use access tokens from your OpenID provider (OIDC_ISSUER).',
    );
    process.exit(2);
  }
  const config = loadConfig();
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      locality: { type: 'string' },
      neighbourhood: { type: 'string' },
      email: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
  });
  const claims = claimsSchema.safeParse({
    sub: values.email,
    role: values.role,
    locality: values.locality,
    neighbourhood: values.neighbourhood,
  });
  if (!claims.success) {
    const problems = claims.error.issues.map(
      (i) => `--${i.path[0] === 'sub' ? 'email' : String(i.path[0])} ${i.message}`,
    );
    console.error(
      `token: ${problems.join('; ')}\nusage: npm run -s token -- --role locality-lead|neighbourhood-lead|gmca-triage|admin [--locality L] [--neighbourhood N] --email E`,
    );
    process.exit(2);
  }
  console.log(await signToken(config.authSecret, claims.data, values.ttl));
});
