import type { Metadata } from "next";
import { CHANNEL_TYPES, DEFAULT_NOTIFY_REASONS, NOTIFY_REASONS } from "@pulse/core/api";
import { NotificationSettings } from "@/components/notification-settings";

export const metadata: Metadata = { title: "Settings" };

/** Notifications: this tab, the channels, the global settle time and quiet hours (read by the browser). */
export default function SettingsPage() {
  return (
    <>
      <h1>Settings</h1>
      <NotificationSettings
        channelTypes={[...CHANNEL_TYPES.filter((t) => t !== "webpush")]}
        reasons={[...NOTIFY_REASONS]}
        defaultReasons={[...DEFAULT_NOTIFY_REASONS]}
      />
    </>
  );
}
