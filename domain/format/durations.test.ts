import { describe, expect, it } from 'vitest';
import {
  durationInWords,
  formatSpan,
  targetChangeInWords,
  targetsInWords,
  timeLeftInWords,
} from './durations.ts';

const W = 'working-hours-england-and-wales';
const H = 3_600_000;

describe('spans of time in words', () => {
  it('gives the two largest parts, only the first saying working, with plurals', () => {
    expect(formatSpan(2 * 8 * H + 3 * H, W)).toBe('2 working days and 3 hours');
    expect(formatSpan(8 * H + H, W)).toBe('1 working day and 1 hour');
    expect(formatSpan(3 * H, W)).toBe('3 working hours');
    expect(formatSpan(H + 60_000, W)).toBe('1 working hour and 1 minute');
    expect(formatSpan(45_000, W)).toBe('45 seconds');
    expect(formatSpan(0, W)).toBe('no time');
    expect(formatSpan(30 * H, '24x7')).toBe('1 day and 6 hours');
  });

  it('says how long is left, or by how much a deadline was missed', () => {
    expect(timeLeftInWords(2 * 8 * H, W)).toBe('2 working days left');
    expect(timeLeftInWords(-3 * H, W)).toBe('overdue by 3 working hours');
    expect(timeLeftInWords(-H, '24x7')).toBe('overdue by 1 hour');
    expect(timeLeftInWords(30_000, W)).toBe('due now');
  });
});

describe('SLA targets in words', () => {
  it('reads ISO 8601 durations in the policy calendar', () => {
    expect(durationInWords('P1D', W)).toBe('1 working day');
    expect(durationInWords('P10D', W)).toBe('10 working days');
    expect(durationInWords('PT4H', W)).toBe('4 working hours');
    expect(durationInWords('P2W', W)).toBe('2 working weeks');
    expect(durationInWords('P1DT4H', W)).toBe('1 working day and 4 hours');
    expect(durationInWords('P1D', '24x7')).toBe('1 day');
  });

  it('says a pair of targets once, the unit said once when they share it', () => {
    expect(targetsInWords('P1D', 'P10D', W)).toBe('1 working day to acknowledge, 10 to resolve');
    expect(targetsInWords('PT4H', 'P2D', W)).toBe(
      '4 working hours to acknowledge, 2 working days to resolve',
    );
    expect(targetChangeInWords('P20D', 'P15D', W)).toBe('20 working days → 15');
    expect(targetChangeInWords('P1D', 'PT4H', W)).toBe('1 working day → 4 working hours');
  });
});

describe('targets typed in words', () => {
  it('become ISO 8601 durations, and ISO ones stay', async () => {
    const { durationFromWords } = await import('./durations.ts');
    expect(durationFromWords('10 working days')).toBe('P10D');
    expect(durationFromWords('1 day and 4 hours')).toBe('P1DT4H');
    expect(durationFromWords('2 weeks')).toBe('P2W');
    expect(durationFromWords('30 minutes')).toBe('PT30M');
    expect(durationFromWords('p1d')).toBe('P1D');
    expect(durationFromWords('soon')).toBe('soon');
    expect(durationFromWords('3 fortnights')).toBe('3 fortnights');
  });
});
