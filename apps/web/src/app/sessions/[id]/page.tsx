import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { IngestBanner } from "@/components/ingest-banner";
import { SessionDetail } from "@/components/session-detail";
import { IngestError, ingestApi } from "@/lib/ingest";
import { sessionName } from "@/lib/labels";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

/** Once per request: the title and the page read the same copy. */
const load = cache(async (id: string) => {
  try {
    return { session: await ingestApi.getSession(id), error: null };
  } catch (error) {
    if (error instanceof IngestError && error.status === 404) notFound();
    return { session: null, error: (error as Error).message };
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const { session } = await load(id);
  return { title: session ? sessionName(session) : "Session" };
}

export default async function SessionPage({ params }: Props) {
  const { id } = await params;
  const { session, error } = await load(id);
  if (!session) {
    return (
      <>
        <h1>Session {id.slice(0, 40)}</h1>
        <IngestBanner message={error ?? "unknown error"} />
      </>
    );
  }
  return <SessionDetail key={session.id} initial={session} />;
}
