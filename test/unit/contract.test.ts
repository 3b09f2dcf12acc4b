import { describe, expect, it } from 'vitest';
import { contractProblem } from '../support/contract.ts';

describe('the contract check', () => {
  it('refuses a body that does not match, and a status the document does not list', () => {
    expect(
      contractProblem('GET', '/api/v1/barriers/GT-0001', 200, 'application/json', {
        id: 'GT-0001',
      }),
    ).toMatch(/GET \/barriers\/\{id\} → 200: the body does not match the document: .*required/);
    expect(
      contractProblem('GET', '/api/v1/barriers/GT-0001', 418, 'application/problem+json', {}),
    ).toMatch(/is not a status the document lists/);
    expect(
      contractProblem('GET', '/api/v1/me/preferences', 200, 'application/json', {
        delivery: 'immediate',
        alwaysImmediate: ['breached', 'escalated'],
      }),
    ).toBeUndefined();
    expect(
      contractProblem('GET', '/api/v1/me/preferences', 200, 'application/json', {
        delivery: 'immediate',
        alwaysImmediate: [],
        extra: 1,
      }),
    ).toMatch(/additional properties/);
  });
});
