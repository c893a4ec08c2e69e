import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation counts a batch's open bank exceptions and, per instruction, the open ones naming it; both
 * read bank_exception by a column that had no index. Partial indexes: resolved exceptions are never counted.
 */
export class BankExceptionOpenIndexes1798400000001 implements MigrationInterface {
  name = 'BankExceptionOpenIndexes1798400000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "bank_exception_open_batch" ON "bank_exception" ("batch_id") WHERE state = 'OPEN'`);
    await queryRunner.query(`CREATE INDEX "bank_exception_open_instruction" ON "bank_exception" ("instruction_id") WHERE state = 'OPEN'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "bank_exception_open_instruction"`);
    await queryRunner.query(`DROP INDEX "bank_exception_open_batch"`);
  }
}
