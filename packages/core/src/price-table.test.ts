import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PRICE_TABLE } from "./price-table";

describe("PRICE_TABLE", () => {
  it("names the version of the price table really installed (bumping the package means updating it)", () => {
    const main = require.resolve(PRICE_TABLE.name);
    const pkg = JSON.parse(readFileSync(join(dirname(main), "..", "package.json"), "utf8"));
    expect(pkg.name).toBe(PRICE_TABLE.name);
    expect(PRICE_TABLE.version).toBe(pkg.version);
  });
});
