import { MigrationInterface, QueryRunner } from 'typeorm';

/** v_settleable_line as the Orders migration created it, in parts, so a column can be appended. */
const SETTLEABLE_RECEIPTS = `SELECT rl.id AS line_id, 'RECEIPT'::text AS kind, r.order_id, r.hospital_id, r.region_code, l.manufacturer_id,
             l.product_id, l.agreement_id, l.unit_price, rl.accepted_quantity::bigint AS quantity,
             r.received_at AS accepted_at,
             EXISTS (SELECT 1 FROM invoice i WHERE i.shipment_id = r.shipment_id AND i.state = 'MATCHED') AS invoiced,
             l.id AS order_line_id, r.shipment_id`;
const SETTLEABLE_RECEIPTS_FROM = `FROM receipt_line rl
        JOIN receipt r ON r.id = rl.receipt_id
        JOIN order_line l ON l.id = rl.order_line_id
        LEFT JOIN purchase_order po ON po.id = r.order_id
       WHERE rl.accepted_quantity > 0`;
const SETTLEABLE_RETURNS = `SELECT gl.id, 'RETURN'::text, g.order_id, g.hospital_id, g.region_code, l.manufacturer_id,
             l.product_id, l.agreement_id, l.unit_price, -(gl.quantity::bigint),
             g.returned_at,
             EXISTS (SELECT 1 FROM invoice i WHERE i.shipment_id = r.shipment_id AND i.state = 'MATCHED'),
             l.id, r.shipment_id`;
const SETTLEABLE_RETURNS_FROM = `FROM goods_return_line gl
        JOIN goods_return g ON g.id = gl.return_id
        JOIN receipt_line rl ON rl.id = gl.receipt_line_id
        JOIN receipt r ON r.id = rl.receipt_id
        JOIN order_line l ON l.id = gl.order_line_id
        LEFT JOIN purchase_order po ON po.id = g.order_id`;

/** v_payable_line as the Settlement migration created it. */
const PAYABLE_LINE = `SELECT l.line_id, l.hospital_id, l.region_code, l.manufacturer_id, l.amount_fen, l.accepted_at, l.due_at,
             CASE WHEN i.state = 'PAID' THEN i.result_at END AS paid_at, l.batch_id,
             l.product_id, l.agreement_id, l.kind, l.policy_version, bp.instruction_id
        FROM settled_line l
        JOIN batch_payable bp ON bp.batch_id = l.batch_id AND bp.manufacturer_id = l.manufacturer_id
        LEFT JOIN payment_instruction i ON i.id = bp.instruction_id
      UNION ALL
      SELECT u.line_id, u.hospital_id, u.region_code, u.manufacturer_id, u.amount_fen, u.accepted_at, u.due_at,
             NULL::timestamptz, NULL::uuid, u.product_id, u.agreement_id, u.kind, u.policy_version, NULL::uuid
        FROM settlement_unclaimed_lines() u`;

/**
 * Payee by the invoice chain (两票制, #18 item 6): the manufacturer → distributor invoice, a versioned payee
 * policy per region, each settled line's payee (its manufacturer until now), and the chain's ledger sides.
 */

export class PayeePolicy1797500000001 implements MigrationInterface {
  name = 'PayeePolicy1797500000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ledger_account" DROP CONSTRAINT "CHK_a5af5ebc4a6551e6ddf8992ef5"`);
    await queryRunner.query(`CREATE TABLE "region_settlement_policy" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "region_code" character(6) NOT NULL, "version" integer NOT NULL, "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL, "payee" text NOT NULL, "set_by_user_id" uuid NOT NULL, "set_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_region_settlement_policy_effective" UNIQUE ("region_code", "effective_from"), CONSTRAINT "UQ_region_settlement_policy_version" UNIQUE ("region_code", "version"), CONSTRAINT "CHK_17eb4af243fc7a6c99622b9891" CHECK (version >= 1), CONSTRAINT "CHK_6f36d9ff3e90bbb59e8ee4fbd7" CHECK (payee IN ('MANUFACTURER','DISTRIBUTOR')), CONSTRAINT "PK_440ebd0f3f86d13b938b9e916fc" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "manufacturer_invoice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "shipment_id" uuid NOT NULL, "order_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "distributor_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "invoice_number" text NOT NULL, "state" text NOT NULL, "total_fen" bigint NOT NULL, "sale_total_fen" bigint NOT NULL, "mismatches" jsonb NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "submitted_by" uuid NOT NULL, CONSTRAINT "CHK_ab8642acc8e1c01d5c55d6a21e" CHECK (state IN ('MATCHED','MISMATCHED')), CONSTRAINT "PK_ef06e8a5dd60f8e91367648402c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "manufacturer_invoice_matched" ON "manufacturer_invoice"  ("shipment_id", "manufacturer_id") WHERE state = 'MATCHED'`);
    await queryRunner.query(`CREATE TABLE "manufacturer_invoice_line" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "invoice_id" uuid NOT NULL, "order_line_id" uuid NOT NULL, "quantity" integer NOT NULL, "amount_fen" bigint NOT NULL, CONSTRAINT "CHK_920deedcbc337ff64fc6859436" CHECK (quantity >= 0 AND amount_fen >= 0), CONSTRAINT "PK_4890137bf48b2b31a236e28e379" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_99bf143a5012aa9b465ab69bae" ON "manufacturer_invoice_line"  ("invoice_id") `);
    // until now the fund paid every line's manufacturer
    await queryRunner.query(`ALTER TABLE "settlement_candidate" ADD "payee_id" uuid`);
    await queryRunner.query(`UPDATE "settlement_candidate" SET payee_id = manufacturer_id`);
    await queryRunner.query(`ALTER TABLE "settlement_candidate" ALTER COLUMN "payee_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "settlement_candidate" ADD "distributor_id" uuid`);
    await queryRunner.query(`ALTER TABLE "settlement_candidate" ADD "supply_amount_fen" bigint`);
    // until now the fund paid every line's manufacturer
    await queryRunner.query(`ALTER TABLE "settled_line" ADD "payee_id" uuid`);
    await queryRunner.query(`UPDATE "settled_line" SET payee_id = manufacturer_id`);
    await queryRunner.query(`ALTER TABLE "settled_line" ALTER COLUMN "payee_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "settled_line" ADD "distributor_id" uuid`);
    await queryRunner.query(`ALTER TABLE "settled_line" ADD "supply_amount_fen" bigint`);
    await queryRunner.query(`ALTER TABLE "ledger_account" ADD CONSTRAINT "CHK_afb61fe1b66ee19c4111c31fcb" CHECK (kind IN ('FUND_ENTITLEMENT','VBP_PREPAYMENT','PAYABLE','BANK_CLEARING','RETAINED_SAVINGS','CHAIN_PAYABLE','CHAIN_RECEIVABLE'))`);
    // orders publishes each line's distributor (the order's) and the matched manufacturer → distributor invoices
    await queryRunner.query(`CREATE OR REPLACE VIEW v_settleable_line AS ${SETTLEABLE_RECEIPTS}, po.distributor_id ${SETTLEABLE_RECEIPTS_FROM}
      UNION ALL ${SETTLEABLE_RETURNS}, po.distributor_id ${SETTLEABLE_RETURNS_FROM}`);
    await queryRunner.query(`CREATE VIEW v_manufacturer_invoice_line AS
      SELECT i.shipment_id, il.order_line_id, i.manufacturer_id, i.distributor_id, sum(il.quantity)::bigint AS quantity, sum(il.amount_fen)::bigint AS amount_fen
        FROM manufacturer_invoice i JOIN manufacturer_invoice_line il ON il.invoice_id = i.id
       WHERE i.state = 'MATCHED'
       GROUP BY i.shipment_id, il.order_line_id, i.manufacturer_id, i.distributor_id`);
    // batch amounts are per payee now (batch_payable.manufacturer_id holds the payee); the view publishes who is
    // paid for a settled line (payee_id, NULL while unclaimed: the policy is applied when a batch takes the line)
    await queryRunner.query(`CREATE OR REPLACE VIEW v_payable_line AS ${PAYABLE_LINE
      .replace('bp.manufacturer_id = l.manufacturer_id', 'bp.manufacturer_id = l.payee_id')
      .replace('l.kind, l.policy_version, bp.instruction_id', 'l.kind, l.policy_version, bp.instruction_id, l.payee_id')
      .replace('u.kind, u.policy_version, NULL::uuid', 'u.kind, u.policy_version, NULL::uuid, NULL::uuid')}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // CREATE OR REPLACE cannot drop a column: recreate the view as the Settlement migration made it
    await queryRunner.query(`DROP VIEW v_payable_line`);
    await queryRunner.query(`CREATE VIEW v_payable_line AS ${PAYABLE_LINE}`);
    await queryRunner.query(`DROP VIEW v_manufacturer_invoice_line`);
    // CREATE OR REPLACE cannot drop a column: recreate the view as the Orders migration made it
    await queryRunner.query(`DROP VIEW v_settleable_line`);
    await queryRunner.query(`CREATE VIEW v_settleable_line AS ${SETTLEABLE_RECEIPTS} ${SETTLEABLE_RECEIPTS_FROM} UNION ALL ${SETTLEABLE_RETURNS} ${SETTLEABLE_RETURNS_FROM}`);
    await queryRunner.query(`ALTER TABLE "ledger_account" DROP CONSTRAINT "CHK_afb61fe1b66ee19c4111c31fcb"`);
    await queryRunner.query(`ALTER TABLE "settled_line" DROP COLUMN "supply_amount_fen"`);
    await queryRunner.query(`ALTER TABLE "settled_line" DROP COLUMN "distributor_id"`);
    await queryRunner.query(`ALTER TABLE "settled_line" DROP COLUMN "payee_id"`);
    await queryRunner.query(`ALTER TABLE "settlement_candidate" DROP COLUMN "supply_amount_fen"`);
    await queryRunner.query(`ALTER TABLE "settlement_candidate" DROP COLUMN "distributor_id"`);
    await queryRunner.query(`ALTER TABLE "settlement_candidate" DROP COLUMN "payee_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_99bf143a5012aa9b465ab69bae"`);
    await queryRunner.query(`DROP TABLE "manufacturer_invoice_line"`);
    await queryRunner.query(`DROP INDEX "public"."manufacturer_invoice_matched"`);
    await queryRunner.query(`DROP TABLE "manufacturer_invoice"`);
    await queryRunner.query(`DROP TABLE "region_settlement_policy"`);
    await queryRunner.query(`ALTER TABLE "ledger_account" ADD CONSTRAINT "CHK_a5af5ebc4a6551e6ddf8992ef5" CHECK ((kind = ANY (ARRAY['FUND_ENTITLEMENT'::text, 'VBP_PREPAYMENT'::text, 'PAYABLE'::text, 'BANK_CLEARING'::text, 'RETAINED_SAVINGS'::text])))`);
  }
}
