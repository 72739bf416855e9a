/**
 * The price table Pulse estimates costs with (pricing.ts): the data bundled in the pinned npm version
 * of `@pydantic/genai-prices` (Pydantic's maintained list prices, updated there as providers change
 * theirs). Pulse never fetches prices at run time; keeping them current = bumping the package (its
 * version in packages/core/package.json). price-table.test.ts fails until this constant says the
 * installed version, so what the dashboard names is what was used. Zod-free and table-free: the
 * dashboard's browser code shows it.
 */
export const PRICE_TABLE = { name: "@pydantic/genai-prices", version: "0.1.8" } as const;

/** What an estimate is, in one line (the dashboard's tooltips, the CLI's footnote). */
export const ESTIMATE_NOTE = `estimated from tokens and the model's list price (genai-prices ${PRICE_TABLE.version}); not a cost the agent reported`;
