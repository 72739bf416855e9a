/**
 * Quiet hours (docs/notifications.md): nothing is sent from `start` to `end`, wall-clock times in an
 * IANA time zone. A range whose end is before its start runs overnight (22:00–07:00); start = end is
 * no quiet time at all (a whole day of silence is a disabled channel, not quiet hours).
 */
export interface QuietHours {
  /** "HH:MM", 24 h. */
  start: string;
  end: string;
  /** IANA name; an unknown one is read as UTC (the API takes any text, a typo must not mute everything). */
  timeZone: string;
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
};

/** Minutes since midnight at `nowMs` on the wall clock of `timeZone` (UTC when the zone is unknown). */
export function wallClockMinutes(nowMs: number, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(nowMs);
  } catch {
    const d = new Date(nowMs);
    return d.getUTCHours() * 60 + d.getUTCMinutes();
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}

/** Whether `nowMs` falls in the quiet hours (start inclusive, end exclusive); never with none set. */
export function inQuietHours(nowMs: number, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  const now = wallClockMinutes(nowMs, quiet.timeZone);
  return start < end ? now >= start && now < end : now >= start || now < end;
}
