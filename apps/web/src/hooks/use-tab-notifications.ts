"use client";

import { useCallback, useSyncExternalStore } from "react";

/**
 * Whether this tab shows browser notifications: the browser's permission (asked for only by the
 * button, never on load) and the viewer's own switch, kept in localStorage so every tab and reload
 * agree. `pending` before hydration (the server cannot know).
 */
export type TabNotifyState = "pending" | "unsupported" | "default" | "denied" | "granted-off" | "on";

const SWITCH_KEY = "pulse:tab-notifications";
const CHANGED = "pulse:tab-notifications-changed";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGED, onChange);
  let status: PermissionStatus | null = null;
  let cancelled = false;
  // The permission can change in the browser's own UI (site settings) while the page is open.
  void navigator.permissions
    ?.query({ name: "notifications" })
    .then((s) => {
      if (cancelled) return;
      status = s;
      s.addEventListener("change", onChange);
    })
    .catch(() => {});
  return () => {
    cancelled = true;
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGED, onChange);
    status?.removeEventListener("change", onChange);
  };
}

function snapshot(): TabNotifyState {
  if (typeof Notification === "undefined") return "unsupported";
  const permission = Notification.permission;
  if (permission !== "granted") return permission;
  return localStorage.getItem(SWITCH_KEY) === "off" ? "granted-off" : "on";
}

export function useTabNotifications(): { state: TabNotifyState; turnOn(): Promise<void>; turnOff(): void } {
  const state = useSyncExternalStore(subscribe, snapshot, () => "pending" as const);
  const turnOn = useCallback(async () => {
    localStorage.removeItem(SWITCH_KEY);
    // Only here, on the viewer's click: browsers ignore (or penalise) a request made on page load.
    if (Notification.permission !== "granted") await Notification.requestPermission();
    window.dispatchEvent(new Event(CHANGED));
  }, []);
  const turnOff = useCallback(() => {
    localStorage.setItem(SWITCH_KEY, "off");
    window.dispatchEvent(new Event(CHANGED));
  }, []);
  return { state, turnOn, turnOff };
}
