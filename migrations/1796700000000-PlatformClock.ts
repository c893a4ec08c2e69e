import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlatformClock1796700000000 implements MigrationInterface {
  name = 'PlatformClock1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "platform_setting" ("key" character varying(64) NOT NULL, "value" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_cb5948921cc25ba8a23662ea99e" PRIMARY KEY ("key"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "platform_setting"`);
  }
}
