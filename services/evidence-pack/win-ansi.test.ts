import { describe, expect, it } from 'vitest';
import { winAnsi } from './win-ansi.ts';

describe('text for the PDF’s standard fonts', () => {
  it('keeps what Windows-1252 holds, curly quotes, dashes and the euro included', () => {
    const text = 'Café “déjà vu” – £5 or €6… Œuvre';
    expect(winAnsi(text)).toBe(text);
  });

  it('drops accents WinAnsi lacks and marks what it cannot draw', () => {
    expect(winAnsi('Łódź, Dąbrowa, Ştefan ≥ 5 → 😀 中')).toBe('Lódz, Dabrowa, Stefan >= 5 -> ? ?');
  });
});
