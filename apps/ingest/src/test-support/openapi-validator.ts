import { execFileSync } from "node:child_process";

/**
 * Validates a document with @seriousme/openapi-schema-validator (the OpenAPI 3.1 schema, refs
 * resolved). It ships ES modules only, which Jest's CommonJS runtime cannot load: Node runs it.
 */
export function validateOpenApi(document: object): { valid: boolean; errors?: unknown } {
  const script = `import { Validator } from "@seriousme/openapi-schema-validator";
    let text = ""; for await (const chunk of process.stdin) text += chunk;
    const result = await new Validator().validate(JSON.parse(text));
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));`;
  return JSON.parse(
    execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      input: JSON.stringify(document),
      cwd: __dirname,
      encoding: "utf8",
    }),
  );
}
