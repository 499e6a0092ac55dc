import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Models of any plugin's type: the GMM-only columns k, dims and covarianceType become `modelType` and `summary`
 * (the codec's figures as JSON). SQLite cannot drop columns in place, so the table is copied; existing rows
 * are GMMs.
 */
export class GenericModels1764600000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "models_new" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar NOT NULL, "modelType" varchar NOT NULL,
      "summary" text NOT NULL, "model" text NOT NULL, "experimentId" varchar, "runId" varchar, "nodeId" varchar,
      "parentModelId" varchar, "createdAt" varchar NOT NULL)`);
    await q.query(`INSERT INTO "models_new" ("id", "name", "modelType", "summary", "model", "experimentId", "runId", "nodeId", "parentModelId", "createdAt")
      SELECT "id", "name", 'gmm', json_object('text', 'k=' || "k" || ', ' || "dims" || '-D', 'fields', json_object('k', "k", 'dims', "dims", 'covarianceType', "covarianceType")),
        "model", "experimentId", "runId", "nodeId", "parentModelId", "createdAt" FROM "models"`);
    await q.query(`DROP TABLE "models"`);
    await q.query(`ALTER TABLE "models_new" RENAME TO "models"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "models_old" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar NOT NULL, "k" integer NOT NULL, "dims" integer NOT NULL,
      "covarianceType" varchar NOT NULL, "model" text NOT NULL, "experimentId" varchar, "runId" varchar, "nodeId" varchar,
      "parentModelId" varchar, "createdAt" varchar NOT NULL)`);
    await q.query(`INSERT INTO "models_old" SELECT "id", "name", json_extract("summary", '$.fields.k'), json_extract("summary", '$.fields.dims'),
      json_extract("summary", '$.fields.covarianceType'), "model", "experimentId", "runId", "nodeId", "parentModelId", "createdAt" FROM "models" WHERE "modelType" = 'gmm'`);
    await q.query(`DROP TABLE "models"`);
    await q.query(`ALTER TABLE "models_old" RENAME TO "models"`);
  }
}
