import { type DashboardData, SessionsDashboard } from "@/components/sessions-dashboard";
import { webEnv } from "@/lib/env";
import { PAGE_SIZE, parseFilters } from "@/lib/filters";
import { localMidnightIso } from "@/lib/format";
import { ingestApi } from "@/lib/ingest";

export const dynamic = "force-dynamic";

const reason = (result: PromiseSettledResult<unknown>) =>
  result.status === "rejected" ? (result.reason as Error).message : null;

/** The sessions page: first render on the server (fast, no blank page), then live in the browser. */
export default async function SessionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const filters = parseFilters(await searchParams);
  const { INGEST_PUBLIC_URL, PULSE_TOKEN } = webEnv();
  const [page, stats] = await Promise.allSettled([
    // The filter's word is the API's (`open` = working or waiting): nothing to translate here.
    ingestApi.listSessions({
      status: filters.status === "all" ? undefined : filters.status,
      project: filters.project,
      source: filters.source,
      q: filters.q,
      limit: PAGE_SIZE,
    }),
    ingestApi.stats({ since: localMidnightIso(Date.now()) }),
  ]);
  const initial: DashboardData = {
    page: page.status === "fulfilled" ? page.value : null,
    stats: stats.status === "fulfilled" ? stats.value : null,
    error: reason(page) ?? reason(stats),
  };
  return (
    <>
      <h1 className="visually-hidden">Sessions</h1>
      <SessionsDashboard
        filters={filters}
        initial={initial}
        ingestUrl={INGEST_PUBLIC_URL}
        withToken={Boolean(PULSE_TOKEN)}
      />
    </>
  );
}
