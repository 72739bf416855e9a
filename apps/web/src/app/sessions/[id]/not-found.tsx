import Link from "next/link";

export default function SessionNotFound() {
  return (
    <section className="panel">
      <h1>No such session</h1>
      <p>
        Pulse has no session with this id. It may have come from another Pulse, or the link is cut short.{" "}
        <Link href="/">See all sessions</Link>.
      </p>
    </section>
  );
}
