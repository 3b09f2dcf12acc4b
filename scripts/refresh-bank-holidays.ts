/**
 * Regenerates domain/calendar/bank-holidays.json, the England & Wales bank
 * holidays the working-time calendar uses offline.
 *
 * Run `npm run holidays:refresh` when the data nears its last year or the
 * government announces a one-off holiday (then check the new date is listed).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Holidays from 'date-holidays';

const FIRST_YEAR = 2018;
const LAST_YEAR = 2035;

const hd = new Holidays('GB', 'ENG');
const dates: Record<string, string> = {};
for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
  for (const h of hd.getHolidays(year)) {
    if (h.type === 'public') dates[h.date.slice(0, 10)] = h.name;
  }
}
const out = {
  division: 'england-and-wales',
  source: `date-holidays (GB-ENG, type public), ${FIRST_YEAR}-${LAST_YEAR}`,
  firstYear: FIRST_YEAR,
  lastYear: LAST_YEAR,
  holidays: dates,
};
const file = fileURLToPath(new URL('../domain/calendar/bank-holidays.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
console.log(
  `wrote ${Object.keys(dates).length} bank holidays (${FIRST_YEAR}-${LAST_YEAR}) to ${file}`,
);
