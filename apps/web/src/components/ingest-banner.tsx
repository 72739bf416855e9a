/** Shown when the ingest API cannot be read: what failed and what to check, instead of a blank page. */
export function IngestBanner({ message }: { message: string }) {
  return (
    <div className="banner banner-error" role="alert" data-testid="ingest-banner">
      <strong>Pulse cannot read sessions right now.</strong> {message}.{" "}
      <span>
        Is ingest running? Start the stack with <code>npm start</code> (or <code>docker compose up</code>) and check{" "}
        <code>INGEST_URL</code>. The page retries by itself.
      </span>
    </div>
  );
}
