import { LOGIN_COOKIE } from "@/lib/auth";

export const dynamic = "force-dynamic";

export function POST(): Response {
  return new Response(null, {
    status: 303,
    headers: { location: "/login", "set-cookie": `${LOGIN_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` },
  });
}
