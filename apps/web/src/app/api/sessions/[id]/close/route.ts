import { closeSession } from "@/lib/ingest";
import { relay } from "@/lib/relay";

export const dynamic = "force-dynamic";

/** The "Close session" button: ingest ends the session and publishes the change. */
export async function POST(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return relay(() => closeSession(id));
}
