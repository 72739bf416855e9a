"use client";

import { useHydrated } from "./clock";

const timeOnly: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false };
const dateTime: Intl.DateTimeFormatOptions = {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
};

/**
 * A time in the viewer's time zone ("14:03:12", or "Mar 3, 14:03" when not today). The server does
 * not know that zone, so it renders UTC and the browser replaces it once hydrated.
 */
export function LocalTime({ iso, withSeconds = false }: { iso: string | null; withSeconds?: boolean }) {
  const hydrated = useHydrated();
  if (!iso) return <>—</>;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return <>—</>;
  const timeZone = hydrated ? undefined : "UTC";
  // Same rule on the server and in the first browser render (UTC), so hydration sees the same text.
  const today = new Date();
  const sameDay = hydrated
    ? today.toDateString() === date.toDateString()
    : today.toISOString().slice(0, 10) === date.toISOString().slice(0, 10);
  const options =
    sameDay || withSeconds
      ? { ...(sameDay ? {} : { month: "short" as const, day: "numeric" as const }), ...timeOnly }
      : dateTime;
  const text = date.toLocaleString("en-GB", { ...options, timeZone }) + (hydrated ? "" : " UTC");
  return (
    <time dateTime={iso} title={date.toISOString()}>
      {text}
    </time>
  );
}
