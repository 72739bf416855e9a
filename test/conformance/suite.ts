import type { AgentId } from "../agents/drivers/agent-driver";
import { ConformanceKit } from "../agents/conformance-kit";
import type { StackOptions } from "../stack";

/** One conformance case: a row of issue 9's lists, run against a kit (stack + mock + users). */
export type Case<A extends AgentId> = (kit: ConformanceKit<A>) => Promise<void>;

export interface SuiteOptions<A extends AgentId> {
  file: string;
  title: string;
  cases: Record<string, Case<A>>;
  names: string[];
  stack?: StackOptions;
  timeoutMs?: number;
  /**
   * Run the cases at the same time (each still its own test and its own users): for cases that
   * mostly wait, e.g. "idle 3× the timeout". They must not disturb each other (no outage).
   */
  concurrent?: boolean;
}

/**
 * Registers the named cases as Jest tests of this file, on one kit. Cases live in `cases/*.ts` so
 * a case moves between the suite that passes (committed) and the one still waiting for a fix by
 * moving its name, not its code.
 */
export function conformanceSuite<A extends AgentId>(agent: A, options: SuiteOptions<A>): void {
  jest.setTimeout(options.timeoutMs ?? 90_000);
  for (const name of options.names)
    if (!options.cases[name]) throw new Error(`${options.file}: no case named "${name}"`);
  let kit: ConformanceKit<A> | undefined;
  const running = new Map<string, Promise<void>>();
  describe(options.title, () => {
    beforeAll(async () => {
      kit = await ConformanceKit.start(agent, { file: options.file, stack: options.stack });
      if (options.concurrent) {
        for (const name of options.names) {
          const result = options.cases[name](kit);
          result.catch(() => undefined); // reported by its own test
          running.set(name, result);
        }
      }
    });
    if (!options.concurrent) afterEach(() => kit?.cleanupUsers());
    afterAll(async () => {
      // A case stuck past its test's timeout must not hold the file open: stop() kills its processes.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(running.values()), new Promise((r) => (timer = setTimeout(r, 5_000)))]);
      clearTimeout(timer);
      await kit?.stop();
    });
    for (const name of options.names) it(name, () => running.get(name) ?? options.cases[name](kit!));
  });
}

/** A case of some agent, for a file that runs several agents on one stack. */
export interface AgentCase {
  agent: AgentId;
  name: string;
  run: Case<any>;
}

/**
 * Several agents' cases on one stack (e.g. a short stale timeout): first the `concurrent` ones, all
 * at once (cases that mostly wait), then the `sequential` ones (outages, which would disturb the
 * others). Each case is its own test, titled "<agent>: <case>".
 */
export function mixedSuite(options: {
  file: string;
  title: string;
  stack: StackOptions;
  concurrent: AgentCase[];
  sequential: AgentCase[];
  timeoutMs?: number;
}): void {
  jest.setTimeout(options.timeoutMs ?? 90_000);
  const all = [...options.concurrent, ...options.sequential];
  for (const c of all) if (!c.run) throw new Error(`${options.file}: no case named "${c.name}" for ${c.agent}`);
  const kits = new Map<AgentId, ConformanceKit<any>>();
  const running = new Map<AgentCase, Promise<void>>();
  describe(options.title, () => {
    beforeAll(async () => {
      const agents = [...new Set(all.map((c) => c.agent))];
      const first = await ConformanceKit.start(agents[0], { file: options.file, stack: options.stack });
      kits.set(agents[0], first);
      for (const agent of agents.slice(1))
        kits.set(
          agent,
          await ConformanceKit.start(agent, { file: options.file, shared: first.stack, figures: first.figures }),
        );
      for (const c of options.concurrent) {
        const result = c.run(kits.get(c.agent)!);
        result.catch(() => undefined); // reported by its own test
        running.set(c, result);
      }
    });
    afterAll(async () => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(running.values()), new Promise((r) => (timer = setTimeout(r, 5_000)))]);
      clearTimeout(timer);
      // The kit that owns the stack stops last.
      for (const kit of [...kits.values()].reverse()) await kit.stop();
    });
    for (const c of options.concurrent) it(`${c.agent}: ${c.name}`, () => running.get(c)!);
    for (const c of options.sequential) {
      it(`${c.agent}: ${c.name}`, async () => {
        // The concurrent cases are over by now: their agents go before an outage starts.
        for (const kit of kits.values()) await kit.cleanupUsers();
        try {
          await c.run(kits.get(c.agent)!);
        } finally {
          await kits.get(c.agent)!.cleanupUsers();
        }
      });
    }
  });
}
