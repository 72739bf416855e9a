import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** Cost per project per day (lib/forward.ts). */
export const GET = forward("costByProject");
