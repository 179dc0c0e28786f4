/**
 * Calendar arithmetic in UTC. Adding months clamps to the end of a shorter month, as deadlines
 * in law are counted: 31 January + 1 month = 28 (or 29) February.
 */
const DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Adds an ISO 8601 duration (`P1M`, `PT15M`; a leading `-` subtracts) to `from`. */
export function addDuration(from: Date, iso: string): Date {
  const m = DURATION.exec(iso);
  if (m === null) throw new RangeError(`Not an ISO 8601 duration: ${iso}`);
  const sign = m[1] === '-' ? -1 : 1;
  const [years, months, weeks, days, hours, minutes, seconds] = m
    .slice(2)
    .map((v) => sign * Number(v ?? 0)) as [number, number, number, number, number, number, number];
  const totalMonths = from.getUTCMonth() + years * 12 + months;
  const year = from.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = ((totalMonths % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const date = new Date(
    Date.UTC(
      year,
      month,
      Math.min(from.getUTCDate(), lastDay),
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  );
  return new Date(
    date.getTime() + (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000,
  );
}
