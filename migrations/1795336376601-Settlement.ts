import { MigrationInterface, QueryRunner } from 'typeorm';

export class Settlement1795336376601 implements MigrationInterface {
  name = 'Settlement1795336376601';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "ledger_account" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "owner_id" uuid NOT NULL, "balance_fen" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_ledger_account_kind_owner" UNIQUE ("kind", "owner_id"), CONSTRAINT "CHK_77ab7e3e0c209e4f83b2b1cdec" CHECK (kind IN ('FUND_ENTITLEMENT','VBP_PREPAYMENT','PAYABLE','BANK_CLEARING')), CONSTRAINT "PK_34640393ff83dad2b4627d7ae5f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "ledger_journal" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "description" text NOT NULL, "batch_id" uuid, "reverses_journal_id" uuid, "posted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_578926244b153b620b08a2d1c3" CHECK (kind IN ('PREPAYMENT','SETTLEMENT','PAYMENT_ISSUED','PAYMENT_FAILED','REVERSAL')), CONSTRAINT "PK_faebbfe5795d9db5c03a71c0f4a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_52b411c0a144fb1c20ba878c5f" ON "ledger_journal"  ("batch_id") `);
    await queryRunner.query(`CREATE TABLE "ledger_posting" ("id" BIGSERIAL NOT NULL, "journal_id" uuid NOT NULL, "account_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_97cb29fe4efdd15a5395cd69fd" CHECK (amount_fen <> 0), CONSTRAINT "PK_0d6f4298d11b8bc6ffb8acc0ea7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_efa201704577ff42cebacc3b67" ON "ledger_posting"  ("journal_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_6fa00c03a62d75cfb749b95a89" ON "ledger_posting"  ("account_id") `);
    await queryRunner.query(`CREATE TABLE "settlement_batch" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "idempotency_key" text NOT NULL, "region_code" character(6) NOT NULL, "region_path" text NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "period_end" TIMESTAMP WITH TIME ZONE NOT NULL, "state" text NOT NULL DEFAULT 'RUNNING', "policy_version" text NOT NULL, "chunks_done" integer NOT NULL DEFAULT '0', "lines_settled" integer NOT NULL DEFAULT '0', "amount_fen" bigint NOT NULL DEFAULT '0', "cursor_line_id" uuid, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_settlement_batch_key" UNIQUE ("organisation_id", "idempotency_key"), CONSTRAINT "CHK_3db857fc3d8134ebb9956eac8f" CHECK (period_end > period_start), CONSTRAINT "CHK_b70e6091ecf2f13de68b8ec025" CHECK (state IN ('RUNNING','COMPLETED')), CONSTRAINT "PK_98eadd1469b95cc0317e7cce228" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "settled_line" ("line_id" uuid NOT NULL, "batch_id" uuid NOT NULL, "chunk_no" integer NOT NULL, "kind" text NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "manufacturer_id" uuid NOT NULL, "product_id" uuid NOT NULL, "agreement_id" uuid, "unit_price" numeric(18,4) NOT NULL, "quantity" bigint NOT NULL, "amount_fen" bigint NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "policy_version" text NOT NULL, CONSTRAINT "PK_832560edb0fde837bf143af6a20" PRIMARY KEY ("line_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_a63daf63bcc2122305f6e8744c" ON "settled_line"  ("hospital_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_df55c8ecf32f8f6cb95c4b154a" ON "settled_line"  ("manufacturer_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_26c62beded914322df2349038b" ON "settled_line"  ("batch_id", "chunk_no") `);
    await queryRunner.query(`CREATE TABLE "batch_payable" ("batch_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "instruction_id" uuid, CONSTRAINT "PK_ef79bc3a1bc86a16cebce470d67" PRIMARY KEY ("batch_id", "manufacturer_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_1357b291ba33cfb21e8914559f" ON "batch_payable"  ("instruction_id") `);
    await queryRunner.query(`CREATE TABLE "payment_instruction" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "state" text NOT NULL DEFAULT 'ISSUED', "failure_reason" text, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "result_at" TIMESTAMP WITH TIME ZONE, "issue_journal_id" uuid NOT NULL, CONSTRAINT "UQ_payment_instruction_batch_manufacturer" UNIQUE ("batch_id", "manufacturer_id"), CONSTRAINT "CHK_4d3ade2e8d57eb0313e4fe84f8" CHECK ((state = 'FAILED') = (failure_reason IS NOT NULL)), CONSTRAINT "CHK_66ebdaadf884d1942ad6362592" CHECK (amount_fen > 0), CONSTRAINT "CHK_673b6809a8984a978d1d33277a" CHECK (state IN ('ISSUED','PAID','FAILED')), CONSTRAINT "PK_a57690fbf44c7b6d9b1415818d8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "prepayment_posting" ("prepayment_due_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "round_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "journal_id" uuid NOT NULL, "posted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b26ff6524c219b0606932f8c190" PRIMARY KEY ("prepayment_due_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_016813bb4f2a7308ddbcc814f1" ON "prepayment_posting"  ("hospital_id") `);
    await queryRunner.query(`CREATE TABLE "hospital_score" ("hospital_id" uuid NOT NULL, "round_id" uuid NOT NULL, "score" character(1) NOT NULL, "set_by_user_id" uuid NOT NULL, "set_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_b76773a3c3e9725e859c02d92c" CHECK (score IN ('A','B','C','D')), CONSTRAINT "PK_b6f6147eba0e5a8a8bfef01a854" PRIMARY KEY ("hospital_id", "round_id"))`);

    // ---- hand-written: ledger integrity TypeORM does not model --------------------------------------------
    // Every journal's postings sum to zero, checked once per journal at commit (deferred), so a journal may
    // be written posting by posting inside its transaction.
    await queryRunner.query(`CREATE FUNCTION ledger_journal_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE total numeric;
      BEGIN
        SELECT coalesce(sum(amount_fen), 0) INTO total FROM ledger_posting WHERE journal_id = NEW.journal_id;
        IF total <> 0 THEN
          RAISE EXCEPTION 'ledger journal % does not balance: postings sum to % fen', NEW.journal_id, total USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE CONSTRAINT TRIGGER ledger_posting_balanced AFTER INSERT ON "ledger_posting" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_journal_must_balance()`);
    // Postings and journals are immutable: corrections are reversing journals.
    await queryRunner.query(`CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['ledger_posting', 'ledger_journal']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
    }
    // Accepted lines no batch has claimed yet are payable (and can be overdue) too. They live in orders'
    // v_settleable_line, which may be created before or after this migration depending on merge order, so
    // they are read through a function that resolves the view at run time. Due days mirror policy
    // settlement-2026.1 (libs/settlement-rules), named in policy_version.
    await queryRunner.query(`CREATE FUNCTION settlement_unclaimed_lines() RETURNS TABLE (
        line_id uuid, hospital_id uuid, region_code char(6), manufacturer_id uuid, amount_fen bigint, accepted_at timestamptz,
        due_at timestamptz, product_id uuid, agreement_id uuid, kind text, policy_version text)
      LANGUAGE plpgsql STABLE AS $$
      BEGIN
        IF to_regclass('v_settleable_line') IS NULL THEN RETURN; END IF;
        RETURN QUERY EXECUTE 'SELECT l.line_id, l.hospital_id, l.region_code::char(6), l.manufacturer_id,
            round(l.unit_price * l.quantity * 100)::bigint, l.accepted_at, l.accepted_at + interval ''30 days'',
            l.product_id, l.agreement_id, l.kind::text, ''settlement-2026.1''::text
          FROM v_settleable_line l WHERE NOT EXISTS (SELECT 1 FROM settled_line s WHERE s.line_id = l.line_id)';
      END $$`);
    // Published read model (docs/context-contracts.md): every payable line, settled or not, with its due date
    // and payment.
    await queryRunner.query(`CREATE VIEW v_payable_line AS
      SELECT l.line_id, l.hospital_id, l.region_code, l.manufacturer_id, l.amount_fen, l.accepted_at, l.due_at,
             CASE WHEN i.state = 'PAID' THEN i.result_at END AS paid_at, l.batch_id,
             l.product_id, l.agreement_id, l.kind, l.policy_version, bp.instruction_id
        FROM settled_line l
        JOIN batch_payable bp ON bp.batch_id = l.batch_id AND bp.manufacturer_id = l.manufacturer_id
        LEFT JOIN payment_instruction i ON i.id = bp.instruction_id
      UNION ALL
      SELECT u.line_id, u.hospital_id, u.region_code, u.manufacturer_id, u.amount_fen, u.accepted_at, u.due_at,
             NULL::timestamptz, NULL::uuid, u.product_id, u.agreement_id, u.kind, u.policy_version, NULL::uuid
        FROM settlement_unclaimed_lines() u`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW v_payable_line`);
    await queryRunner.query(`DROP FUNCTION settlement_unclaimed_lines()`);
    for (const table of ['ledger_posting', 'ledger_journal']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_no_update_delete ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION ledger_refuse_change()`);
    await queryRunner.query(`DROP TRIGGER ledger_posting_balanced ON "ledger_posting"`);
    await queryRunner.query(`DROP FUNCTION ledger_journal_must_balance()`);
    await queryRunner.query(`DROP TABLE "hospital_score"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_016813bb4f2a7308ddbcc814f1"`);
    await queryRunner.query(`DROP TABLE "prepayment_posting"`);
    await queryRunner.query(`DROP TABLE "payment_instruction"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1357b291ba33cfb21e8914559f"`);
    await queryRunner.query(`DROP TABLE "batch_payable"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_26c62beded914322df2349038b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_df55c8ecf32f8f6cb95c4b154a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a63daf63bcc2122305f6e8744c"`);
    await queryRunner.query(`DROP TABLE "settled_line"`);
    await queryRunner.query(`DROP TABLE "settlement_batch"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6fa00c03a62d75cfb749b95a89"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_efa201704577ff42cebacc3b67"`);
    await queryRunner.query(`DROP TABLE "ledger_posting"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_52b411c0a144fb1c20ba878c5f"`);
    await queryRunner.query(`DROP TABLE "ledger_journal"`);
    await queryRunner.query(`DROP TABLE "ledger_account"`);
  }
}
