import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaginationIndexes1795336158283 implements MigrationInterface {
  name = 'PaginationIndexes1795336158283';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "organisation_name_id" ON "organisation"  ("name", "id") `);
    await queryRunner.query(`CREATE INDEX "product_name_id" ON "product"  ("name", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."product_name_id"`);
    await queryRunner.query(`DROP INDEX "public"."organisation_name_id"`);
  }
}
