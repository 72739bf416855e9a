export const dynamic = "force-dynamic";

/** Liveness for Docker and orchestrators: the web server answers. Open without login. */
export function GET(): Response {
  return Response.json({ status: "ok" });
}
