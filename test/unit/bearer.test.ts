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

  describe('remembering verified tokens', () => {
    const providerToken = (expiresAt: number) =>
      new SignJWT({ email: 'lead@example.org' })
        .setProtectedHeader({ alg: 'HS512' })
        .setExpirationTime(Math.floor(expiresAt / 1000))
        .sign(new TextEncoder().encode(SECRET));
    const counting = (answer: () => Promise<{ email: string }>) => {
      const calls = { n: 0 };
      return { calls, accessTokens: () => (calls.n++, answer()) };
    };

    it('checks a token once while it is valid, and again once it has expired', async () => {
      let clock = 1_000_000_000_000;
      const { calls, accessTokens } = counting(() =>
        Promise.resolve({ email: 'lead@example.org' }),
      );
      const authenticate = bearerAuthenticator({ accessTokens }, () => clock);
      const token = await providerToken(clock + 60_000);
      for (let i = 0; i < 3; i++)
        expect(await authenticate(token)).toEqual({ credential: { email: 'lead@example.org' } });
      expect(calls.n).toBe(1);
      clock += 61_000;
      await authenticate(token);
      expect(calls.n).toBe(2);
    });

    it('checks a long-lived token again after five minutes at most', async () => {
      let clock = 1_000_000_000_000;
      const { calls, accessTokens } = counting(() =>
        Promise.resolve({ email: 'lead@example.org' }),
      );
      const authenticate = bearerAuthenticator({ accessTokens }, () => clock);
      const token = await providerToken(clock + 8 * 3_600_000);
      await authenticate(token);
      clock += 4 * 60_000;
      await authenticate(token);
      expect(calls.n).toBe(1);
      clock += 2 * 60_000;
      await authenticate(token);
      expect(calls.n).toBe(2);
    });

    it('never remembers a refusal', async () => {
      const { calls, accessTokens } = counting(() => Promise.reject(new InvalidToken('no')));
      const authenticate = bearerAuthenticator({ accessTokens });
      const token = await providerToken(Date.now() + 60_000);
      await expect(authenticate(token)).rejects.toThrow(InvalidToken);
      await expect(authenticate(token)).rejects.toThrow(InvalidToken);
      expect(calls.n).toBe(2);
    });
  });
});
