"use client";

import { type FormEvent, useState } from "react";
import type { NotificationSettingsJson } from "@pulse/core/api";
import { useNotificationSettings, useUpdateNotificationSettings } from "@/hooks/use-notification-settings";

/** The settle time (for the inbox, this tab and channels without their own) and quiet hours. */
export function GlobalNotificationSettings() {
  const { settings, error } = useNotificationSettings();
  if (!settings) return <p className="muted">{error ? `Could not read the settings: ${error}` : "Loading…"}</p>;
  // The form starts from the stored values once read; a save writes what it answered into the cache.
  return <SettingsForm settings={settings} />;
}

function SettingsForm({ settings }: { settings: NotificationSettingsJson }) {
  const update = useUpdateNotificationSettings();
  const [settle, setSettle] = useState(String(settings.settle_seconds));
  const [quiet, setQuiet] = useState(settings.quiet_hours !== null);
  const [start, setStart] = useState(settings.quiet_hours?.start ?? "22:00");
  const [end, setEnd] = useState(settings.quiet_hours?.end ?? "08:00");
  const [timeZone, setTimeZone] = useState(
    settings.quiet_hours?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [saved, setSaved] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    update.mutate(
      {
        settle_seconds: settle.trim() === "" ? undefined : Number(settle),
        quiet_hours: quiet ? { start, end, time_zone: timeZone } : null,
      },
      { onSuccess: () => setSaved(true) },
    );
  };
  return (
    <form className="settings-form" onSubmit={submit} aria-label="Settle time and quiet hours">
      <label className="field">
        Settle seconds
        <input inputMode="numeric" value={settle} onChange={(e) => setSettle(e.target.value)} name="settle_seconds" />
      </label>
      <label>
        <input type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} /> Quiet hours
      </label>
      {quiet ? (
        <>
          <label className="field">
            From
            <input type="time" value={start} onChange={(e) => setStart(e.target.value)} required />
          </label>
          <label className="field">
            To
            <input type="time" value={end} onChange={(e) => setEnd(e.target.value)} required />
          </label>
          <label className="field">
            Time zone
            <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} required />
          </label>
        </>
      ) : null}
      <button type="submit" className="button" disabled={update.isPending}>
        Save
      </button>
      {update.error ? (
        <p className="form-error" role="alert">
          {update.error.message}
        </p>
      ) : saved ? (
        <p role="status">Saved.</p>
      ) : null}
    </form>
  );
}
