// Prisma 6.19 with the JavaScript schema engine: works offline (the Rust engines would be
// downloaded). The pg adapter must be @prisma/adapter-pg@7: 6.19's breaks `migrate deploy`.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL! });
  },
});
