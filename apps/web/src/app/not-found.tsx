import Link from "next/link";

export default function NotFound() {
  return (
    <section className="panel">
      <h1>Page not found</h1>
      <p>
        <Link href="/">Back to the sessions</Link>
      </p>
    </section>
  );
}
