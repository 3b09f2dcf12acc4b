import { parsePolicy, type Policy } from '../../domain/policy/policy.ts';

/** A 24x7 policy whose neighbourhood acknowledge target is `ack`; the rest a week or two. */
export function benchPolicy(ack: string): Policy {
  return parsePolicy({
    id: 'bench',
    version: 1,
    name: 'bench',
    calendar: '24x7',
    reopenWindow: 'PT60S',
    stages: {
      neighbourhood: { acknowledge: ack, resolve: 'P7D' },
      locality: { acknowledge: 'P7D', resolve: 'P14D' },
      gmca: { acknowledge: 'P7D', resolve: 'P14D' },
      whitehall: { acknowledge: 'P7D', resolve: 'P14D' },
    },
  });
}
