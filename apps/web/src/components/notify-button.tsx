"use client";

import { useTabNotifications } from "@/hooks/use-tab-notifications";

/**
 * The top bar's switch for browser notifications in this tab. It asks the browser for permission
 * only when clicked; once granted it can be turned off and on again here.
 */
export function NotifyButton() {
  const { state, turnOn, turnOff } = useTabNotifications();
  switch (state) {
    case "pending":
    case "unsupported":
      return null;
    case "denied":
      return (
        <span
          className="notify-state muted"
          data-notify-state={state}
          title="Allow notifications in the browser's site settings"
        >
          Notifications blocked
        </span>
      );
    case "on":
      return (
        <button
          type="button"
          className="button button-quiet button-small"
          data-notify-state={state}
          title="Waits on you show a browser notification; click to stop"
          onClick={turnOff}
        >
          🔔 Notifying
        </button>
      );
    default:
      return (
        <button
          type="button"
          className="button button-quiet button-small"
          data-notify-state={state}
          onClick={() => void turnOn()}
        >
          Notify me in this tab
        </button>
      );
  }
}
