import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deployments: named prediction endpoints, each serving one stored model (swapped with PUT). */
export class Deployments1764800000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "deployments" ("name" varchar PRIMARY KEY NOT NULL, "modelId" varchar NOT NULL, "createdAt" varchar NOT NULL,
      "updatedAt" varchar NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "deployments"`);
  }
}
