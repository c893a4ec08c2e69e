import { MigrationInterface, QueryRunner } from 'typeorm';

/** Listing price history and alert case steps had no CHECK on their states; written from the same constants as the GraphQL enums. */
export class StateChecks1796800000000 implements MigrationInterface {
  name = 'StateChecks1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "listing_price_history" ADD CONSTRAINT "CHK_aa09a8119ef9d90f8412656db3" CHECK (state IN ('PENDING_REVIEW','LISTED','SUSPENDED','WITHDRAWN'))`);
    await queryRunner.query(`ALTER TABLE "alert_case_entry" ADD CONSTRAINT "CHK_b0ed9f336fec95224a8fc293af" CHECK (to_state IN ('OPEN','INQUIRY','INTERVIEW','RECTIFIED','DISMISSED','ESCALATED_TO_CREDIT'))`);
    await queryRunner.query(`ALTER TABLE "alert_case_entry" ADD CONSTRAINT "CHK_bf051d47a3cf6e12ce6ae7baa4" CHECK (from_state IN ('OPEN','INQUIRY','INTERVIEW','RECTIFIED','DISMISSED','ESCALATED_TO_CREDIT'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alert_case_entry" DROP CONSTRAINT "CHK_bf051d47a3cf6e12ce6ae7baa4"`);
    await queryRunner.query(`ALTER TABLE "alert_case_entry" DROP CONSTRAINT "CHK_b0ed9f336fec95224a8fc293af"`);
    await queryRunner.query(`ALTER TABLE "listing_price_history" DROP CONSTRAINT "CHK_aa09a8119ef9d90f8412656db3"`);
  }
}
