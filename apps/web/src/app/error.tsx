"use client";

/** Anything unexpected while rendering: say so and offer a retry, never a blank page. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="panel" role="alert">
      <h1>Something went wrong</h1>
      <p>The dashboard could not show this page{error.digest ? ` (error ${error.digest}, see the server log)` : ""}.</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
