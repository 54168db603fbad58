// The maintenance window and durations, read strictly: a time without an offset would move
// with the control host's TZ, and Date.parse accepts far more than ISO 8601 ("1/2").

/** Closed (the default), open until closed again, or open between two instants. */
export type MaintenanceWindow = { state: "closed" } | { state: "open" } | { state: "scheduled"; start: string; end: string };

// Extended format, minutes at least, and an offset: Z, +hh:mm or +hhmm.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/** An ISO 8601 date and time with an offset, as epoch milliseconds; undefined when not one. */
function parseInstant(text: string): number | undefined {
  const match = INSTANT.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second = "0", fraction = "0", sign, offsetHours = "0", offsetMinutes = "0"] = match;
  const [y, mo, d, h, mi, s, oh, om] = [year, month, day, hour, minute, second, offsetHours, offsetMinutes].map(Number);
  const local = Date.UTC(y, mo - 1, d, h, mi, s, Math.round(Number(fraction) * 1000));
  // Date.UTC rolls 2026-02-30 over to March: a date that does not round-trip is not one.
  const back = new Date(local);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59 || oh > 23 || om > 59) return undefined;
  return local - (sign === "-" ? -1 : 1) * (oh * 60 + om) * 60000;
}

const WINDOW_EXPECTED = "expected closed, open, or an ISO 8601 interval with offsets such as 2026-11-28T20:00Z/2026-11-29T02:00Z";

export function parseWindow(value: string, fail: (expected: string) => never): MaintenanceWindow {
  if (value === "closed" || value === "open") return { state: value };
  const [start, end, extra] = value.split("/");
  const [from, to] = [start, end].map((t) => (t === undefined ? undefined : parseInstant(t)));
  if (extra !== undefined || from === undefined || to === undefined) return fail(`${WINDOW_EXPECTED} (got "${value}")`);
  if (to <= from) return fail(`expected the window to end after it starts (got "${value}")`);
  return { state: "scheduled", start: new Date(from).toISOString(), end: new Date(to).toISOString() };
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 };
// Node's timers hold at most 2^31-1 ms (24.8 days); a longer timeout fires at once.
const MAX_SECONDS = 24 * 24 * 3600;

/** A duration such as 90m, 12h or 45s, in seconds; undefined when not one, zero or too long. */
export function parseDuration(text: string): number | undefined {
  const [, amount, unit] = /^([1-9]\d{0,6})(s|m|h)$/.exec(text) ?? [];
  if (amount === undefined) return undefined;
  const seconds = Number(amount) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS];
  return seconds <= MAX_SECONDS ? seconds : undefined;
}

/** Seconds as an operator reads them: 45s, 3m 12s, 2h 05m. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
