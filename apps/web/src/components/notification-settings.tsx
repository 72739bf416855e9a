"use client";

import { useChannels, useDeleteChannel, useTestNotifications } from "@/hooks/use-channels";
import type { NotificationTestResultJson } from "@pulse/core/api";
import { useState } from "react";
import { AddChannelForm } from "./add-channel-form";
import { GlobalNotificationSettings } from "./global-notification-settings";
import { LocalTime } from "./local-time";
import { NotifyButton } from "./notify-button";

const STATUS_TEXT = { ok: "ok", failing: "failing", untested: "untested" } as const;

/** The Settings page's notification sections: this tab, the channels (list, test, delete, add), the global rules. */
export function NotificationSettings({
  channelTypes,
  reasons,
  defaultReasons,
}: {
  channelTypes: string[];
  reasons: string[];
  defaultReasons: string[];
}) {
  return (
    <>
      <section className="panel" aria-labelledby="tab-heading">
        <h2 id="tab-heading" className="panel-title">
          This tab
        </h2>
        <p className="muted">
          A browser notification when a session has waited on you (permission, question, error) for the settle time:
          once per wait, in one tab of this browser. The browser asks for permission when you click.
        </p>
        <NotifyButton />
      </section>
      <ChannelsPanel />
      <section className="panel" aria-labelledby="add-heading">
        <h2 id="add-heading" className="panel-title">
          Add a channel
        </h2>
        <AddChannelForm channelTypes={channelTypes} reasons={reasons} defaultReasons={defaultReasons} />
      </section>
      <section className="panel" aria-labelledby="rules-heading">
        <h2 id="rules-heading" className="panel-title">
          Settle time and quiet hours
        </h2>
        <GlobalNotificationSettings />
      </section>
    </>
  );
}

function TestResults({ results }: { results: NotificationTestResultJson["results"] }) {
  if (results.length === 0) return <p className="muted">No channel to test.</p>;
  return (
    <ul className="test-results" data-testid="test-results" aria-label="Test results">
      {results.map((r) => (
        <li key={r.channel} data-channel-id={r.channel} data-result={r.status}>
          <strong>{r.name}</strong>: {r.status}
          {r.error ? ` (${r.error})` : ""}
        </li>
      ))}
    </ul>
  );
}

function ChannelsPanel() {
  const { channels, error } = useChannels();
  const test = useTestNotifications();
  const remove = useDeleteChannel();
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="channels-heading">
      <div className="panel-head">
        <h2 id="channels-heading" className="panel-title">
          Channels
        </h2>
        {channels && channels.length > 0 ? (
          <button
            type="button"
            className="button button-small"
            disabled={test.isPending}
            onClick={() => test.mutate(undefined)}
          >
            {test.isPending ? "Sending…" : "Send test to all"}
          </button>
        ) : null}
      </div>
      {error ? <p className="form-error">Could not read the channels: {error}</p> : null}
      {test.error ? <p className="form-error">The test failed: {test.error.message}</p> : null}
      {test.data ? <TestResults results={test.data.results} /> : null}
      {remove.error ? <p className="form-error">Could not delete: {remove.error.message}</p> : null}
      {channels === null ? (
        <p className="muted">Loading…</p>
      ) : channels.length === 0 ? (
        <p className="muted">No channels yet: add a webhook, Slack, ntfy or Discord channel below.</p>
      ) : (
        <table className="settings-table" data-testid="channels">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">URL</th>
              <th scope="col">Status</th>
              <th scope="col">Last error</th>
              <th scope="col">Last delivery</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {channels.map((c) => (
              <tr key={c.id} data-channel-id={c.id} data-status={c.status}>
                <td>
                  {c.name}
                  {c.enabled ? null : <span className="muted"> (off)</span>}
                </td>
                <td>{c.type}</td>
                <td>
                  <code className="break channel-url">{c.url}</code>
                  {c.has_token ? <span className="muted"> · token set</span> : null}
                </td>
                <td className={`status-${c.status}`}>
                  {STATUS_TEXT[c.status]}
                  {c.status === "failing" && c.consecutive_failures > 1 ? ` (${c.consecutive_failures}×)` : ""}
                </td>
                <td className="channel-error">{c.last_error ?? "—"}</td>
                <td>{c.last_delivered_at ? <LocalTime iso={c.last_delivered_at} withSeconds /> : "never"}</td>
                <td>
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    disabled={test.isPending}
                    onClick={() => test.mutate(c.id)}
                  >
                    Send test
                  </button>{" "}
                  {confirming === c.id ? (
                    <button
                      type="button"
                      className="button button-danger button-small"
                      disabled={remove.isPending}
                      onClick={() => remove.mutate(c.id, { onSettled: () => setConfirming(null) })}
                    >
                      Really delete
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="button button-quiet button-small"
                      onClick={() => setConfirming(c.id)}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
