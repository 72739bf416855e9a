import type { NextRequest } from "next/server";
import { getCostByProject } from "@/lib/ingest";
import { relay } from "@/lib/relay";

export const dynamic = "force-dynamic";

export function GET(request: NextRequest): Promise<Response> {
  const q = request.nextUrl.searchParams;
  const days = Number(q.get("days") ?? 14);
  return relay(() => getCostByProject(Number.isInteger(days) && days > 0 ? days : 14, q.get("tz") ?? undefined));
}
