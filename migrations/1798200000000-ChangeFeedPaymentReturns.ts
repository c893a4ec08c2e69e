import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A payment the bank returned (退汇, a RETURNED entry of an imported bank statement) is announced on the change
 * feed as payment.returned rather than payment.failed; the statement entry is written in the same transaction as
 * the instruction's FAILED state, and the deferred trigger sees both at commit.
 */
export class ChangeFeedPaymentReturns1798200000000 implements MigrationInterface {
  name = 'ChangeFeedPaymentReturns1798200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION vbp_event_payment_instruction() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE kind text;
      BEGIN
        IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state THEN
          kind := CASE
            WHEN NEW.state = 'ISSUED' THEN 'payment.instructed'
            WHEN NEW.state = 'FAILED' AND EXISTS (SELECT 1 FROM bank_statement_entry b WHERE b.instruction_id = NEW.id AND b.outcome = 'RETURNED') THEN 'payment.returned'
            ELSE 'payment.' || lower(NEW.state) END;
          PERFORM vbp_raise_event(kind,
            CASE WHEN NEW.state = 'ISSUED' THEN NEW.issued_at ELSE coalesce(NEW.result_at, NEW.issued_at) END,
            'PaymentInstruction', NEW.id::text, (SELECT region_code FROM settlement_batch WHERE id = NEW.batch_id), ARRAY[NEW.manufacturer_id], false,
            jsonb_build_object('instructionId', NEW.id, 'batchId', NEW.batch_id, 'payeeId', NEW.manufacturer_id, 'amount', NEW.amount_fen::text, 'state', NEW.state,
                               'reference', NEW.reference, 'reason', coalesce(NEW.failure_reason, NEW.hold_reason)));
        END IF;
        RETURN NULL;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION vbp_event_payment_instruction() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state THEN
          PERFORM vbp_raise_event(CASE NEW.state WHEN 'ISSUED' THEN 'payment.instructed' ELSE 'payment.' || lower(NEW.state) END,
            CASE WHEN NEW.state = 'ISSUED' THEN NEW.issued_at ELSE coalesce(NEW.result_at, NEW.issued_at) END,
            'PaymentInstruction', NEW.id::text, (SELECT region_code FROM settlement_batch WHERE id = NEW.batch_id), ARRAY[NEW.manufacturer_id], false,
            jsonb_build_object('instructionId', NEW.id, 'batchId', NEW.batch_id, 'payeeId', NEW.manufacturer_id, 'amount', NEW.amount_fen::text, 'state', NEW.state,
                               'reason', coalesce(NEW.failure_reason, NEW.hold_reason)));
        END IF;
        RETURN NULL;
      END $$`);
  }
}
