/** Policies for tests: real schema, short 24x7 targets so a climb takes seconds. */
import { parsePolicy, type Policy } from '../../domain/policy/policy.ts';

/** A 24x7 policy whose targets are `seconds` long (acknowledge at half of it). */
export function fastPolicy(seconds: number, version = 1): Policy {
  const s = `PT${seconds}S`;
  const half = `PT${Math.max(1, Math.floor(seconds / 2))}S`;
  return parsePolicy({
    id: 'test-fast',
    version,
    name: `test policy, ${seconds} s per stage`,
    calendar: '24x7',
    warnAt: [0.5, 0.8],
    reopenWindow: 'PT60S',
    stages: {
      neighbourhood: { acknowledge: half, resolve: s },
      locality: { acknowledge: half, resolve: s },
      gmca: { acknowledge: half, resolve: s },
      whitehall: { acknowledge: half, resolve: s },
    },
  });
}

/**
 * A 24x7 policy whose acknowledge targets are the given seconds per stage
 * (resolve targets an hour or two, so only acknowledgements fall due in a test).
 */
export function ackSecondsPolicy(
  id: string,
  ack: { neighbourhood: number; locality: number; gmca?: number },
  warnAt?: number[],
): Policy {
  const stage = (seconds: number) => ({ acknowledge: `PT${seconds}S`, resolve: 'PT2H' });
  return parsePolicy({
    id,
    version: 1,
    name: `${id}: acknowledge within seconds`,
    calendar: '24x7',
    reopenWindow: 'PT60S',
    ...(warnAt ? { warnAt } : {}),
    stages: {
      neighbourhood: stage(ack.neighbourhood),
      locality: stage(ack.locality),
      gmca: stage(ack.gmca ?? 3600),
      whitehall: stage(3600),
    },
  });
}
