import { getTimeline } from "@/lib/ingest";
import { relay } from "@/lib/relay";

export const dynamic = "force-dynamic";

/** Concurrent sessions over the last 24 h in 15-minute steps, for the chart. */
export function GET(): Promise<Response> {
  return relay(() => getTimeline(24, 96));
}
