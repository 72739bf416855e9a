"use client";

import Link from "next/link";
import { useChannels } from "@/hooks/use-channels";

/**
 * In the top bar on every page: notification channels whose newest delivery failed, with the last
 * error, linking to the Settings page. A failing channel is never silently dropped.
 */
export function FailingChannels() {
  const { channels } = useChannels();
  const failing = (channels ?? []).filter((c) => c.status === "failing");
  if (failing.length === 0) return null;
  const first = failing[0];
  const text =
    failing.length === 1
      ? `Channel “${first.name}” failing: ${first.last_error ?? "delivery failed"}`
      : `${failing.length} channels failing (“${first.name}”: ${first.last_error ?? "delivery failed"})`;
  return (
    <Link href="/settings" className="failing-channels" role="alert" data-testid="failing-channels" title={text}>
      ⚠ {text}
    </Link>
  );
}
