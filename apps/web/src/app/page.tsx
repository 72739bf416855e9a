import { type DashboardData, SessionsDashboard, type TimelineResult } from "@/components/sessions-dashboard";
import { webEnv } from "@/lib/env";
import { PAGE_SIZE, parseFilters, statusesOf } from "@/lib/filters";
import { localMidnightIso } from "@/lib/format";
import { getStats, getTimeline, listSessions } from "@/lib/ingest";

export const dynamic = "force-dynamic";

const reason = (result: PromiseSettledResult<unknown>) => (result.status === "rejected" ? (result.reason as Error).message : null);

/** The sessions page: first render on the server (fast, no blank page), then live in the browser. */
export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filters = parseFilters(await searchParams);
  const { INGEST_PUBLIC_URL, PULSE_TOKEN } = webEnv();
  const [page, stats] = await Promise.allSettled([
    listSessions({ status: statusesOf(filters), project: filters.project, source: filters.source, q: filters.q }, { limit: PAGE_SIZE }),
    getStats(localMidnightIso(Date.now())),
  ]);
  // Not awaited: the chart streams in when ready and the list does not wait for it. Asked for only
  // now because ingest computes it on its request thread (hundreds of ms with 10,000 sessions), which
  // would hold up the two cheap calls above.
  const timeline: Promise<TimelineResult> = getTimeline().then(
    (t) => ({ timeline: t, error: null }),
    (e: Error) => ({ timeline: null, error: e.message }),
  );
  const initial: DashboardData = {
    page: page.status === "fulfilled" ? page.value : null,
    stats: stats.status === "fulfilled" ? stats.value : null,
    error: reason(page) ?? reason(stats),
  };
  return (
    <>
      <h1 className="visually-hidden">Sessions</h1>
      <SessionsDashboard filters={filters} initial={initial} initialTimeline={timeline} ingestUrl={INGEST_PUBLIC_URL} withToken={Boolean(PULSE_TOKEN)} />
    </>
  );
}
