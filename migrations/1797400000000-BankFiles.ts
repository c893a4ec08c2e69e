import { MigrationInterface, QueryRunner } from 'typeorm';

export class BankFiles1797400000000 implements MigrationInterface {
  name = 'BankFiles1797400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "bank_statement" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "file_name" text NOT NULL, "format" text NOT NULL, "sha256" character(64) NOT NULL, "entry_count" integer NOT NULL, "matched_count" integer NOT NULL, "exception_count" integer NOT NULL, "already_imported_count" integer NOT NULL, "imported_by_user_id" uuid NOT NULL, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_bank_statement_file" UNIQUE ("organisation_id", "sha256"), CONSTRAINT "PK_a2f8f739ec54fbcb8600ced0816" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "bank_statement_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "statement_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "line" integer NOT NULL, "bank_serial" text NOT NULL, "value_date" date NOT NULL, "direction" text NOT NULL, "amount_fen" bigint NOT NULL, "reference" text NOT NULL, "counterparty_account" text NOT NULL, "counterparty_name" text NOT NULL, "remark" text NOT NULL, "instruction_id" uuid, "outcome" text NOT NULL, CONSTRAINT "UQ_bank_statement_entry_serial" UNIQUE ("organisation_id", "bank_serial"), CONSTRAINT "CHK_2dc5a7897203fcf0eea8784947" CHECK (amount_fen > 0), CONSTRAINT "CHK_8b6021d10a377d892ff4d618eb" CHECK (outcome IN ('MATCHED','RETURNED','UNMATCHED','PARTIAL','DUPLICATE')), CONSTRAINT "CHK_37b1821971c2b6eca70c07dfd8" CHECK (direction IN ('DEBIT','CREDIT')), CONSTRAINT "PK_6124eb7db1fd3a58b918d308ac7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_3715baa2f270a65a71af325823" ON "bank_statement_entry"  ("statement_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_748111efa0736bdeb3e4fbd50d" ON "bank_statement_entry"  ("instruction_id") `);
    await queryRunner.query(`CREATE TABLE "bank_exception" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "entry_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "kind" text NOT NULL, "detail" text NOT NULL, "instruction_id" uuid, "batch_id" uuid, "state" text NOT NULL DEFAULT 'OPEN', "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolution" text, "note" text, "resolved_by_user_id" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_bank_exception_entry" UNIQUE ("entry_id"), CONSTRAINT "CHK_516d792eea25522237b8271a25" CHECK ((state = 'RESOLVED') = (resolved_by_user_id IS NOT NULL AND resolution IS NOT NULL AND note IS NOT NULL)), CONSTRAINT "CHK_67a7fae366eed839b483507f94" CHECK (resolution IS NULL OR resolution IN ('NOTED','MATCHED')), CONSTRAINT "CHK_92d643fc967f5b1b4e28c7d77d" CHECK (state IN ('OPEN','RESOLVED')), CONSTRAINT "CHK_fa74466a2bbe9ae0411954da4e" CHECK (kind IN ('RETURNED','UNMATCHED','PARTIAL','DUPLICATE')), CONSTRAINT "PK_9383e94d9c6e3a51def716d4a67" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "bank_exception_raised_at_id" ON "bank_exception"  ("raised_at", "id") `);
    // The reference the bank echoes (业务参考号): VBP + 12 digits from a sequence, set on insert by a trigger so
    // every writer of payment_instruction gets one without naming it; existing instructions get theirs now.
    await queryRunner.query(`CREATE SEQUENCE payment_instruction_reference_seq`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ADD "reference" text`);
    await queryRunner.query(`UPDATE payment_instruction SET reference = 'VBP' || lpad(nextval('payment_instruction_reference_seq')::text, 12, '0')
                               WHERE id IN (SELECT id FROM payment_instruction ORDER BY issued_at, id)`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ALTER COLUMN "reference" SET NOT NULL`);
    await queryRunner.query(`CREATE FUNCTION payment_instruction_reference() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.reference IS NULL THEN
          NEW.reference := 'VBP' || lpad(nextval('payment_instruction_reference_seq')::text, 12, '0');
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER payment_instruction_reference BEFORE INSERT ON payment_instruction
      FOR EACH ROW EXECUTE FUNCTION payment_instruction_reference()`);
    await queryRunner.query(`CREATE FUNCTION payment_instruction_reference_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.reference IS DISTINCT FROM OLD.reference THEN
          RAISE EXCEPTION 'payment_instruction.reference is fixed once the instruction exists (the bank echoes it)';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER payment_instruction_reference_fixed BEFORE UPDATE OF reference ON payment_instruction
      FOR EACH ROW EXECUTE FUNCTION payment_instruction_reference_fixed()`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ADD CONSTRAINT "UQ_7ac49c980721cef5cfaee53ee7a" UNIQUE ("reference")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "payment_instruction" DROP CONSTRAINT "UQ_7ac49c980721cef5cfaee53ee7a"`);
    await queryRunner.query(`DROP TRIGGER payment_instruction_reference_fixed ON payment_instruction`);
    await queryRunner.query(`DROP FUNCTION payment_instruction_reference_fixed()`);
    await queryRunner.query(`DROP TRIGGER payment_instruction_reference ON payment_instruction`);
    await queryRunner.query(`DROP FUNCTION payment_instruction_reference()`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" DROP COLUMN "reference"`);
    await queryRunner.query(`DROP SEQUENCE payment_instruction_reference_seq`);
    await queryRunner.query(`DROP INDEX "public"."bank_exception_raised_at_id"`);
    await queryRunner.query(`DROP TABLE "bank_exception"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_748111efa0736bdeb3e4fbd50d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3715baa2f270a65a71af325823"`);
    await queryRunner.query(`DROP TABLE "bank_statement_entry"`);
    await queryRunner.query(`DROP TABLE "bank_statement"`);
  }
}
