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
  for (const name of options.names) if (!options.cases[name]) throw new Error(`${options.file}: no case named "${name}"`);
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
      await Promise.race([Promise.allSettled(running.values()), new Promise((r) => setTimeout(r, 5_000))]);
      await kit?.stop();
    });
    for (const name of options.names) it(name, () => running.get(name) ?? options.cases[name](kit!));
  });
}
