"use client";

import { type FormEvent, useState } from "react";
import { useCreateChannel } from "@/hooks/use-channels";
import { channelBody, type ChannelFormValues } from "@/lib/channel-form";
import { waitingReasonLabel } from "@/lib/labels";

const TYPE_LABELS: Record<string, string> = {
  webhook: "Webhook (JSON)",
  slack: "Slack incoming webhook",
  ntfy: "ntfy topic",
  discord: "Discord webhook",
};

/** Adds a notification channel; the URL and token are secrets: ingest stores them and answers them masked. */
export function AddChannelForm({
  channelTypes,
  reasons,
  defaultReasons,
}: {
  channelTypes: string[];
  reasons: string[];
  defaultReasons: string[];
}) {
  const empty: ChannelFormValues = {
    name: "",
    type: channelTypes[0] ?? "webhook",
    url: "",
    token: "",
    reasons: defaultReasons,
    projects: "",
    agents: "",
    settleSeconds: "",
    notifyResolved: false,
    idleMinutes: "",
  };
  const [values, setValues] = useState(empty);
  const create = useCreateChannel();
  const set = <K extends keyof ChannelFormValues>(key: K, value: ChannelFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(channelBody(values), { onSuccess: () => setValues(empty) });
  };
  return (
    <form className="settings-form" onSubmit={submit} aria-label="Add a channel">
      <label className="field">
        Name
        <input required value={values.name} onChange={(e) => set("name", e.target.value)} maxLength={100} />
      </label>
      <label className="field">
        Type
        <select value={values.type} onChange={(e) => set("type", e.target.value)}>
          {channelTypes.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t] ?? t}
            </option>
          ))}
        </select>
      </label>
      <label className="field field-grow">
        URL
        <input
          required
          type="url"
          value={values.url}
          onChange={(e) => set("url", e.target.value)}
          placeholder="https://hooks.slack.com/services/…"
          autoComplete="off"
        />
      </label>
      <label className="field">
        Token (optional)
        <input type="password" value={values.token} onChange={(e) => set("token", e.target.value)} autoComplete="off" />
      </label>
      <fieldset>
        <legend>Notify on</legend>
        {reasons.map((r) => (
          <label key={r}>
            <input
              type="checkbox"
              name="reasons"
              value={r}
              checked={values.reasons.includes(r)}
              onChange={(e) =>
                set("reasons", e.target.checked ? [...values.reasons, r] : values.reasons.filter((x) => x !== r))
              }
            />{" "}
            {waitingReasonLabel(r)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        Projects (comma-separated; empty: all)
        <input value={values.projects} onChange={(e) => set("projects", e.target.value)} />
      </label>
      <label className="field">
        Agents (comma-separated; empty: all)
        <input value={values.agents} onChange={(e) => set("agents", e.target.value)} placeholder="claude-code, codex" />
      </label>
      <label className="field">
        Settle seconds (empty: global)
        <input
          inputMode="numeric"
          value={values.settleSeconds}
          onChange={(e) => set("settleSeconds", e.target.value)}
        />
      </label>
      <label className="field">
        Idle reminder after minutes (empty: none)
        <input inputMode="numeric" value={values.idleMinutes} onChange={(e) => set("idleMinutes", e.target.value)} />
      </label>
      <label>
        <input
          type="checkbox"
          checked={values.notifyResolved}
          onChange={(e) => set("notifyResolved", e.target.checked)}
        />{" "}
        Also when the wait is resolved
      </label>
      <button type="submit" className="button" disabled={create.isPending}>
        {create.isPending ? "Adding…" : "Add channel"}
      </button>
      {create.error ? (
        <p className="form-error" role="alert">
          {create.error.message}
        </p>
      ) : null}
    </form>
  );
}
