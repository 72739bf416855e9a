import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** The "Close session" button (lib/forward.ts). */
export const POST = forward("closeSession");
