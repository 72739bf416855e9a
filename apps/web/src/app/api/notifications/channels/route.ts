import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** Notification channels (lib/forward.ts): the list, and adding one. */
export const GET = forward("channels");
export const POST = forward("createChannel");
