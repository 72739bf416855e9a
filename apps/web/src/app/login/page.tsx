import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth";
import { webEnv } from "@/lib/env";
import { LOGIN_WINDOW_MINUTES } from "@/lib/login-attempts";

export const metadata: Metadata = { title: "Log in" };
export const dynamic = "force-dynamic";

/** Asked only when PULSE_TOKEN is set: the same token agents use, typed once per browser. */
export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = await searchParams;
  const next = safeNextPath(typeof query.next === "string" ? query.next : "/");
  if (!webEnv().PULSE_TOKEN) redirect(next);
  const failed = query.error !== undefined;
  // Said by the login endpoint; only shown, so kept to what it can be (1 to the window).
  const retryMinutes =
    query.error === "too_many"
      ? Math.min(Math.max(1, Math.round(Number(query.retry_minutes)) || LOGIN_WINDOW_MINUTES), LOGIN_WINDOW_MINUTES)
      : null;
  return (
    <section className="panel login">
      <h1>Log in to Pulse</h1>
      <p>
        This Pulse is protected by a token: the value of <code>PULSE_TOKEN</code> it was started with.
      </p>
      <form action="/api/login" method="post" className="login-form">
        <input type="hidden" name="next" value={next} />
        <label className="field">
          <span>Token</span>
          <input
            type="password"
            name="token"
            required
            autoComplete="current-password"
            autoFocus
            aria-invalid={failed || undefined}
            aria-describedby={failed ? "login-error" : undefined}
          />
        </label>
        {failed ? (
          <p id="login-error" className="form-error" role="alert">
            {retryMinutes !== null
              ? `Too many wrong tokens from this address: try again in ${retryMinutes} minute${retryMinutes === 1 ? "" : "s"}.`
              : "That token is not the one this Pulse was started with."}
          </p>
        ) : null}
        <button type="submit" className="button">
          Log in
        </button>
      </form>
    </section>
  );
}
