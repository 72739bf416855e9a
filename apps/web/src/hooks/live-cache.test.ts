import { QueryClient } from "@tanstack/react-query";
import type { SessionJson } from "@pulse/core";
import { LiveCache } from "./live-cache";
import { queryKeys } from "./query-keys";

const session = (id: string, fields: Partial<SessionJson> = {}): SessionJson =>
  ({
    id,
    status: "waiting",
    waiting_reason: "permission",
    waiting_since: "2026-01-01T10:00:00.000Z",
    last_event_at: "2026-01-01T10:00:00.000Z",
    ...fields,
  }) as SessionJson;

describe("LiveCache and the inbox's waiting sessions", () => {
  let client: QueryClient;
  let cache: LiveCache;
  beforeEach(() => {
    client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    cache = new LiveCache(client);
    cache.attach();
  });
  afterEach(() => {
    cache.stop();
    client.clear();
  });
  const inbox = () => client.getQueryData<SessionJson[]>(queryKeys.inbox)?.map((s) => `${s.id}:${s.status}`);

  it("puts a session that starts waiting in, and takes it out when it goes on", () => {
    client.setQueryData(queryKeys.inbox, [session("a")]);
    cache.applyChange(session("b"));
    expect(inbox()).toEqual(["a:waiting", "b:waiting"]);
    cache.applyChange(session("a", { status: "active", waiting_reason: null, waiting_since: null }));
    expect(inbox()).toEqual(["b:waiting"]);
  });

  it("writes a change that arrived during a fetch onto that fetch's answer", async () => {
    let answer: (value: SessionJson[]) => void = () => {};
    const fetching = client.fetchQuery({
      queryKey: queryKeys.inbox,
      queryFn: () => new Promise<SessionJson[]>((resolve) => (answer = resolve)),
    });
    // The fetch read the database before the wait ended; the end reached the browser meanwhile.
    cache.applyChange(session("a", { status: "active", waiting_reason: null, waiting_since: null }));
    answer([session("a"), session("b")]);
    await fetching;
    expect(inbox()).toEqual(["b:waiting"]);
  });
});
