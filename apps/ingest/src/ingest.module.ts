import { type DynamicModule, Module } from "@nestjs/common";
import { INGEST_DEPS, type IngestDeps } from "./deps";
import { EventsController } from "./routes/events.controller";
import { FacetsController } from "./routes/facets.controller";
import { HealthController } from "./routes/health.controller";
import { HooksController } from "./routes/hooks.controller";
import { LivenessController } from "./routes/liveness.controller";
import { MetricsController } from "./routes/metrics.controller";
import { NotificationsController } from "./routes/notifications.controller";
import { OpenApiController } from "./routes/openapi.controller";
import { OtlpController } from "./routes/otlp.controller";
import { QueuesController } from "./routes/queues.controller";
import { SessionsController } from "./routes/sessions.controller";
import { StatsController } from "./routes/stats.controller";
import { StreamController } from "./routes/stream.controller";

@Module({})
export class IngestModule {
  static register(deps: IngestDeps): DynamicModule {
    return {
      module: IngestModule,
      controllers: [
        HooksController,
        OtlpController,
        EventsController,
        LivenessController,
        SessionsController,
        FacetsController,
        StatsController,
        StreamController,
        QueuesController,
        NotificationsController,
        HealthController,
        OpenApiController,
        MetricsController,
      ],
      providers: [{ provide: INGEST_DEPS, useValue: deps }],
    };
  }
}
