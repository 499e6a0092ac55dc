import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Datasets stored as Parquet carry per-column statistics computed at upload (JSON; NULL until computed). */
export class DatasetStats1764700000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "datasets" ADD COLUMN "stats" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "datasets" DROP COLUMN "stats"`);
  }
}
