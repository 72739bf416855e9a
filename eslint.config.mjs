// ESLint for the whole monorepo (flat config): typescript-eslint's recommended rules everywhere,
// React's hooks rules in the dashboard. Formatting is Prettier's job (.prettierrc.json), not ESLint's.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/.next/**",
      "**/.turbo/**",
      "packages/db/src/generated/**",
      "test-results/**",
      "**/test-results/**",
      "**/playwright-report/**",
      "**/*.d.ts",
      "apps/web/next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: {
        console: "readonly",
        process: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        AbortSignal: "readonly",
        AbortController: "readonly",
        URL: "readonly",
        fetch: "readonly",
        __dirname: "readonly",
        require: "readonly",
        module: "writable",
      },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (a callback's position, a destructured rest).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // The CLI's hot path loads modules lazily with `require(...) as typeof import(...)` (start-up
      // time is the product): the cast keeps them typed, so a renamed export fails the build.
      "@typescript-eslint/no-require-imports": "off",
      // Validators and redaction match control characters on purpose (NUL, ESC, C0 in ids and text).
      "no-control-regex": "off",
    },
  },
  {
    files: ["apps/web/src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Server components render once per request: the request's time (Date.now) is what they show.
    files: ["apps/web/src/app/**/layout.tsx", "apps/web/src/app/**/page.tsx"],
    rules: { "react-hooks/purity": "off" },
  },
  {
    // Tests reach into loosely typed JSON answers on purpose.
    files: ["**/*.test.ts", "**/*.int.test.ts", "test/**/*.ts", "apps/web/e2e/**/*.ts", "**/test-support/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
