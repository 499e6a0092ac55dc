import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Model payloads move out of SQLite into files under models/ (written and read off the API's thread): rows get
 * `file` and `header` (the format's version and port schema), and `model` may be null. SQLite cannot change a
 * column's NOT NULL in place, so the table is copied; the payloads stay in `model` until the server's start
 * moves them to files (ModelFilesService.moveStoredPayloads).
 */
export class ModelFiles1765000000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "models_new" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar NOT NULL, "modelType" varchar NOT NULL,
      "summary" text NOT NULL, "file" varchar, "header" text, "model" text, "experimentId" varchar, "runId" varchar, "nodeId" varchar,
      "parentModelId" varchar, "createdAt" varchar NOT NULL)`);
    await q.query(`INSERT INTO "models_new" ("id", "name", "modelType", "summary", "file", "header", "model", "experimentId", "runId", "nodeId", "parentModelId", "createdAt")
      SELECT "id", "name", "modelType", "summary", NULL, NULL, "model", "experimentId", "runId", "nodeId", "parentModelId", "createdAt" FROM "models"`);
    await q.query(`DROP TABLE "models"`);
    await q.query(`ALTER TABLE "models_new" RENAME TO "models"`);
  }

  /** Only rows whose payload is still in SQLite go back (a payload in a file would be lost: move it back first). */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "models_old" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar NOT NULL, "modelType" varchar NOT NULL,
      "summary" text NOT NULL, "model" text NOT NULL, "experimentId" varchar, "runId" varchar, "nodeId" varchar,
      "parentModelId" varchar, "createdAt" varchar NOT NULL)`);
    await q.query(`INSERT INTO "models_old" SELECT "id", "name", "modelType", "summary", "model", "experimentId", "runId", "nodeId", "parentModelId", "createdAt"
      FROM "models" WHERE "model" IS NOT NULL`);
    await q.query(`DROP TABLE "models"`);
    await q.query(`ALTER TABLE "models_old" RENAME TO "models"`);
  }
}
