// Two kinds of tests (DEVELOPERS.md): `*.test.ts` are unit tests (fast, no I/O);
// `*.int.test.ts` talk to the real Postgres and Redis, each file isolated in its own database and
// Redis key prefix (see test/env.ts).
const base = {
  testEnvironment: "node",
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.test.json" }],
    // secretlint ships ES modules only: Node loads them as they are, Jest needs them as CommonJS.
    "/node_modules/@secretlint/.+\\.js$": [
      "ts-jest",
      {
        tsconfig: { allowJs: true, module: "commonjs", esModuleInterop: true, isolatedModules: true, target: "ES2022" },
      },
    ],
  },
  transformIgnorePatterns: ["/node_modules/(?!@secretlint/)"],
  // Workspace packages are tested from source, so a test never runs against a stale build.
  moduleNameMapper: {
    "^@pulse/(core|queues|sessions|db|test-kit)$": "<rootDir>/packages/$1/src",
    "^@pulse/core/(agents|display|api)$": "<rootDir>/packages/core/src/$1",
    "^@pulse/core/api-client$": "<rootDir>/packages/core/src/api/client",
    "^@pulse/queues/(names|connections|env|session-changes)$": "<rootDir>/packages/queues/src/$1",
    // The dashboard's own alias (apps/web/tsconfig.json), for its hooks' unit tests.
    "^@/(.*)$": "<rootDir>/apps/web/src/$1",
    // The generated Prisma client imports its own files as "./x.js".
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  modulePathIgnorePatterns: ["<rootDir>/.*/dist/", "<rootDir>/apps/web/.next/"],
};

module.exports = {
  projects: [
    {
      ...base,
      displayName: "unit",
      testMatch: ["<rootDir>/{apps,packages}/*/src/**/*.test.ts"],
      testPathIgnorePatterns: ["\\.int\\.test\\.ts$", "/node_modules/"],
    },
    {
      ...base,
      displayName: "integration",
      testMatch: ["<rootDir>/{apps,packages}/*/src/**/*.int.test.ts", "<rootDir>/test/**/*.int.test.ts"],
      globalSetup: "<rootDir>/test/global-setup.ts",
      globalTeardown: "<rootDir>/test/global-teardown.ts",
      setupFilesAfterEnv: ["<rootDir>/test/integration-timeout.ts"],
    },
  ],
};
