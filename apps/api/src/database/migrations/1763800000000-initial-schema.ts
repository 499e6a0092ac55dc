import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "datasets" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar NOT NULL, "schema" text NOT NULL,
      "rowCount" integer NOT NULL, "bytes" integer NOT NULL, "builtIn" boolean NOT NULL, "fileName" varchar NOT NULL, "createdAt" varchar NOT NULL)`);
    await q.query(`CREATE TABLE "experiments" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar NOT NULL, "version" integer NOT NULL,
      "graph" text NOT NULL, "createdAt" varchar NOT NULL, "updatedAt" varchar NOT NULL)`);
    await q.query(`CREATE TABLE "experiment_versions" ("experimentId" varchar NOT NULL, "version" integer NOT NULL, "name" varchar NOT NULL,
      "graph" text NOT NULL, "savedAt" varchar NOT NULL, PRIMARY KEY ("experimentId", "version"))`);
    await q.query(`CREATE TABLE "runs" ("id" varchar PRIMARY KEY NOT NULL, "experimentId" varchar NOT NULL, "experimentVersion" integer NOT NULL,
      "status" varchar NOT NULL, "engine" varchar NOT NULL, "fromNode" varchar, "onlyNode" varchar, "createdAt" varchar NOT NULL,
      "startedAt" varchar, "finishedAt" varchar, "error" text, "nodes" text NOT NULL)`);
    await q.query(`CREATE INDEX "IDX_runs_experimentId" ON "runs" ("experimentId")`);
    await q.query(`CREATE TABLE "run_logs" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "runId" varchar NOT NULL, "time" varchar NOT NULL,
      "nodeId" varchar, "level" varchar NOT NULL, "message" text NOT NULL)`);
    await q.query(`CREATE INDEX "IDX_run_logs_runId" ON "run_logs" ("runId")`);
    await q.query(`CREATE TABLE "models" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar NOT NULL, "k" integer NOT NULL, "dims" integer NOT NULL,
      "covarianceType" varchar NOT NULL, "model" text NOT NULL, "experimentId" varchar, "runId" varchar, "nodeId" varchar,
      "parentModelId" varchar, "createdAt" varchar NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['models', 'run_logs', 'runs', 'experiment_versions', 'experiments', 'datasets']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
