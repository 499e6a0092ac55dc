import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deleted datasets' names by id (a tombstone per deleted dataset), for messages about graphs that still read them. */
export class DeletedDatasets1764900000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "deleted_datasets" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar NOT NULL, "deletedAt" varchar NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "deleted_datasets"`);
  }
}
