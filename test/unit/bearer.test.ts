import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearerAuthenticator } from '../../auth/bearer.ts';
import { InvalidToken, signToken } from '../../auth/tokens.ts';

const SECRET = 'unit-test-secret-unit-test-secret-0123';

describe('bearer tokens', () => {
  it('takes a development token outside production: the email and the role asked for', async () => {
    const token = await signToken(SECRET, { sub: 'Lead@Example.org', role: 'admin' });
    await expect(bearerAuthenticator({ devSecret: SECRET })(token)).resolves.toEqual({
      credential: { email: 'lead@example.org' },
      actingAs: 'admin',
    });
  });

  it('refuses a development token in production (no development secret), however well signed', async () => {
    const token = await signToken(SECRET, { sub: 'lead@example.org', role: 'admin' });
    const production = bearerAuthenticator({
      accessTokens: () => Promise.reject(new InvalidToken('not an access token')),
    });
    await expect(production(token)).rejects.toThrow(InvalidToken);
    await expect(bearerAuthenticator({})(token)).rejects.toThrow('The token is not valid.');
  });

  it('never checks a provider-style token against the development secret', async () => {
    const rs = await new SignJWT({ email: 'lead@example.org' })
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(SECRET));
    await expect(bearerAuthenticator({ devSecret: SECRET })(rs)).rejects.toThrow(InvalidToken);
  });
});
