import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** "Send test" (lib/forward.ts): every channel, or `{"channel": id}`. */
export const POST = forward("testNotifications");
