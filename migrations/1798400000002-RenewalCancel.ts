import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A regulator may cancel an open renewal (CANCELLED, with when and why); the round may then be renewed again.
 */
export class RenewalCancel1798400000002 implements MigrationInterface {
  name = 'RenewalCancel1798400000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tender_renewal" DROP CONSTRAINT "CHK_b67baebdd1f61ec4cfc05d5021"`);
    await queryRunner.query(`ALTER TABLE "tender_renewal" ADD "cancelled_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "tender_renewal" ADD "cancel_reason" text`);
    await queryRunner.query(`ALTER TABLE "tender_renewal" ADD CONSTRAINT "CHK_4bb86be1c45624deb0314c7efd" CHECK ((state = 'CANCELLED') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "tender_renewal" ADD CONSTRAINT "CHK_597d42fde50bb7fa1288450a66" CHECK (state IN ('OFFERS_OPEN','COMPLETED','CANCELLED'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tender_renewal" DROP CONSTRAINT "CHK_597d42fde50bb7fa1288450a66"`);
    await queryRunner.query(`ALTER TABLE "tender_renewal" DROP CONSTRAINT "CHK_4bb86be1c45624deb0314c7efd"`);
    await queryRunner.query(`ALTER TABLE "tender_renewal" DROP COLUMN "cancel_reason"`);
    await queryRunner.query(`ALTER TABLE "tender_renewal" DROP COLUMN "cancelled_at"`);
    await queryRunner.query(`ALTER TABLE "tender_renewal" ADD CONSTRAINT "CHK_b67baebdd1f61ec4cfc05d5021" CHECK (state IN ('OFFERS_OPEN','COMPLETED'))`);
  }
}
