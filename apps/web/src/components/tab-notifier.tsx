"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useInbox } from "@/hooks/use-inbox";
import { useTabNotifications } from "@/hooks/use-tab-notifications";
import { waitKey } from "@/lib/inbox";
import { claimWait } from "@/lib/notified-waits";
import { waitNotification } from "@/lib/wait-notification";
import { sessionHref } from "./session-table";

/** Held by the one tab of this browser that shows notifications; the next tab takes over when it closes. */
const NOTIFIER_LOCK = "pulse-tab-notifier";

/**
 * Shows a browser notification for each wait that enters the inbox (a wait on the user that lasted
 * the settle time), once per wait: the wait is claimed in localStorage first (lib/notified-waits.ts),
 * so a reload does not notify again, and only the tab holding a Web Lock notifies, so two tabs of
 * the same browser show it once. A click focuses the tab and opens the session. Renders nothing.
 */
export function TabNotifier() {
  const { state } = useTabNotifications();
  const on = state === "on";
  const { entries } = useInbox(on);
  const leader = useNotifierLock(on);
  const router = useRouter();
  const routerRef = useRef(router);
  useEffect(() => {
    routerRef.current = router;
  });

  useEffect(() => {
    if (!on || !leader) return;
    for (const session of entries) {
      const key = waitKey(session);
      if (!claimWait(localStorage, key, Date.now())) continue;
      const { title, body } = waitNotification(session);
      try {
        const notification = new Notification(title, { body, tag: key });
        notification.onclick = () => {
          window.focus();
          routerRef.current.push(sessionHref(session.id));
          notification.close();
        };
      } catch (error) {
        // Some browsers allow notifications only from a service worker (Android Chrome): nothing to show here.
        console.warn("pulse: could not show a notification", error);
      }
    }
  }, [entries, on, leader]);
  return null;
}

/** Whether this tab holds the notifier lock (or the browser has no Web Locks: then every tab notifies). */
function useNotifierLock(wanted: boolean): boolean {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!wanted) return;
    let release: (() => void) | null = null;
    const abort = new AbortController();
    const take = () => setHeld(true);
    if (!navigator.locks) {
      void Promise.resolve().then(take);
    } else {
      navigator.locks
        .request(NOTIFIER_LOCK, { signal: abort.signal }, () => {
          take();
          return new Promise<void>((resolve) => (release = resolve));
        })
        .catch(() => {}); // aborted: this tab stopped wanting it
    }
    return () => {
      abort.abort();
      release?.();
      setHeld(false);
    };
  }, [wanted]);
  return held;
}
