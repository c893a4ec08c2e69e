import { MigrationInterface, QueryRunner } from 'typeorm';

export class Orders1795337000000 implements MigrationInterface {
  name = 'Orders1795337000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "distributor_appointment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "manufacturer_id" uuid NOT NULL, "distributor_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_8c06ff9741365224ecbb4c9aae" CHECK (ends_at IS NULL OR ends_at > starts_at), CONSTRAINT "PK_d82a2b963d52bfa9870f427238b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_8d49f222df14d5a124cae8e718" ON "distributor_appointment"  ("distributor_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_a1caa2c63192b960541406ec8a" ON "distributor_appointment"  ("manufacturer_id", "region_code") `);
    await queryRunner.query(`CREATE TABLE "purchase_order" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "distributor_id" uuid NOT NULL, "state" text NOT NULL, "emergency" boolean NOT NULL, "note" text, "total_fen" bigint NOT NULL, "ordered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "placed_by" uuid NOT NULL, "sla_policy_version" text NOT NULL, "confirm_by" TIMESTAMP WITH TIME ZONE NOT NULL, "deliver_by" TIMESTAMP WITH TIME ZONE NOT NULL, "cancellable_from" TIMESTAMP WITH TIME ZONE NOT NULL, "confirmed_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "state_reason" text, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_cc64c4f1708d073853e376b245" CHECK (state IN ('SUBMITTED','CONFIRMED','REJECTED','PARTLY_SHIPPED','SHIPPED','PARTLY_RECEIVED','RECEIVED','CLOSED','CANCELLED')), CONSTRAINT "PK_ad3e1c7b862f4043b103a6c8c60" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_69e914a93276a03b8ed3e382b7" ON "purchase_order"  ("region_code", "ordered_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_f4b9a3d5fc926233323c3fb02a" ON "purchase_order"  ("distributor_id", "state", "ordered_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_308ac50607e0fc66d5ca3a7bc4" ON "purchase_order"  ("hospital_id", "ordered_at") `);
    await queryRunner.query(`CREATE TABLE "order_line" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "line_no" integer NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "product_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "variety_id" uuid, "source" text NOT NULL, "agreement_id" uuid, "listing_id" uuid, "unit_price" numeric(18,4) NOT NULL, "quantity" integer NOT NULL, "shipped_quantity" integer NOT NULL DEFAULT '0', "accepted_quantity" integer NOT NULL DEFAULT '0', "rejected_quantity" integer NOT NULL DEFAULT '0', "returned_quantity" integer NOT NULL DEFAULT '0', "delivered_within_sla_quantity" integer NOT NULL DEFAULT '0', "ordered_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_c9e1b8f4e7af7f1a79de9ade3ac" UNIQUE ("order_id", "line_no"), CONSTRAINT "CHK_17bcd37c087cf57f6c9ceaf92c" CHECK (delivered_within_sla_quantity BETWEEN 0 AND accepted_quantity + rejected_quantity), CONSTRAINT "CHK_d00cfe09997a675606c0a9aca0" CHECK (returned_quantity BETWEEN 0 AND accepted_quantity), CONSTRAINT "CHK_1a2d5bdf28d1a301546c7a1226" CHECK (accepted_quantity >= 0 AND rejected_quantity >= 0 AND accepted_quantity + rejected_quantity <= shipped_quantity), CONSTRAINT "CHK_a422d153a438493ed1ec55fb88" CHECK (shipped_quantity BETWEEN 0 AND quantity), CONSTRAINT "CHK_9b36539e8f141daed77b36715c" CHECK ((source = 'AGREEMENT') = (agreement_id IS NOT NULL) AND (source = 'LISTING') = (listing_id IS NOT NULL)), CONSTRAINT "CHK_6afbdcb1092b72818f6ea1da30" CHECK (source IN ('AGREEMENT','LISTING')), CONSTRAINT "CHK_70b7795af7f48e74044d0c80c9" CHECK (quantity > 0), CONSTRAINT "PK_01a7c973d9f30479647e44f9892" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_b1748bd0e1ad3a9a4ca3aa4f89" ON "order_line"  ("region_code", "ordered_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_62e51d7607fa0006a3dafcf2f5" ON "order_line"  ("agreement_id") WHERE agreement_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_ad4a2eacf49336bbe78104fa3f" ON "order_line"  ("manufacturer_id", "ordered_at") `);
    await queryRunner.query(`CREATE TABLE "shipment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "distributor_id" uuid NOT NULL, "state" text NOT NULL, "shipped_at" TIMESTAMP WITH TIME ZONE NOT NULL, "auto_receive_at" TIMESTAMP WITH TIME ZONE NOT NULL, "within_sla" boolean NOT NULL, CONSTRAINT "CHK_3c7bddd3121f470df99653f32d" CHECK (state IN ('SHIPPED','RECEIVED')), CONSTRAINT "PK_f51f635db95c534ca206bf7a0a4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_d51908836cabcb639b5525ca28" ON "shipment"  ("region_code", "shipped_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_2090125e37316a485d25b351c1" ON "shipment"  ("state", "auto_receive_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_8326c2309eef8967ec2b38a05e" ON "shipment"  ("order_id") `);
    await queryRunner.query(`CREATE TABLE "shipment_line" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "shipment_id" uuid NOT NULL, "order_line_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "quantity" integer NOT NULL, "batch_number" text NOT NULL, "expires_on" date NOT NULL, CONSTRAINT "UQ_8193566f247500bcc0dcc7a1cd4" UNIQUE ("shipment_id", "order_line_id", "batch_number"), CONSTRAINT "CHK_a52c9feb7b3f608f5cab6c4ccc" CHECK (quantity > 0), CONSTRAINT "PK_b6e73cd57b50d5f62172d6fb83e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_03852adfd17070a574ff82172e" ON "shipment_line"  ("order_line_id") `);
    await queryRunner.query(`CREATE TABLE "receipt" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "shipment_id" uuid NOT NULL, "order_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "automatic" boolean NOT NULL, CONSTRAINT "UQ_a6b43e15f4e3e694c78826b5bf1" UNIQUE ("shipment_id"), CONSTRAINT "PK_b4b9ec7d164235fbba023da9832" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_df2fab32e944407c679a6b41f6" ON "receipt"  ("hospital_id", "received_at") `);
    await queryRunner.query(`CREATE TABLE "receipt_line" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "receipt_id" uuid NOT NULL, "shipment_line_id" uuid NOT NULL, "order_line_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "accepted_quantity" integer NOT NULL, "rejected_quantity" integer NOT NULL, "rejection_reason" text, "returned_quantity" integer NOT NULL DEFAULT '0', CONSTRAINT "UQ_968f3fb06a82f05e8a35a411e4d" UNIQUE ("shipment_line_id"), CONSTRAINT "CHK_1e99777cc84c05783543aab5e6" CHECK (returned_quantity BETWEEN 0 AND accepted_quantity), CONSTRAINT "CHK_990463c7a74c71a2fb5bbc8c05" CHECK (accepted_quantity >= 0 AND rejected_quantity >= 0), CONSTRAINT "PK_a3268abea941f004250ff3135de" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_86eecf467e9a8d266ede60940b" ON "receipt_line"  ("order_line_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_94172cf5d5fdf40f16eb2e549d" ON "receipt_line"  ("receipt_id") `);
    await queryRunner.query(`CREATE TABLE "goods_return" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "reason" text NOT NULL, "returned_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_76abc88a620e4dbd5a2d432d76e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_269668b61cd065b32c3281d44f" ON "goods_return"  ("order_id") `);
    await queryRunner.query(`CREATE TABLE "goods_return_line" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "return_id" uuid NOT NULL, "receipt_line_id" uuid NOT NULL, "order_line_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "quantity" integer NOT NULL, CONSTRAINT "CHK_d34489405837af394133b25792" CHECK (quantity > 0), CONSTRAINT "PK_7feead2bb1eb65bfd8e2bd588b9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_45e9fbea7c209091f2ce401bb3" ON "goods_return_line"  ("receipt_line_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_35b30dd229e693d80d93a1ea57" ON "goods_return_line"  ("return_id") `);
    await queryRunner.query(`CREATE TABLE "invoice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "shipment_id" uuid NOT NULL, "order_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "invoice_number" text NOT NULL, "state" text NOT NULL, "total_fen" bigint NOT NULL, "expected_total_fen" bigint NOT NULL, "mismatches" jsonb NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "submitted_by" uuid NOT NULL, CONSTRAINT "CHK_f05e29f82a25d7ebade9133c98" CHECK (state IN ('MATCHED','MISMATCHED')), CONSTRAINT "PK_15d25c200d9bcd8a33f698daf18" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_786dbdcaf68b1d072f6966a117" ON "invoice"  ("shipment_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_b28a47ec1944cca9fccc54ecff" ON "invoice"  ("shipment_id") WHERE state = 'MATCHED'`);
    await queryRunner.query(`CREATE TABLE "invoice_line" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "invoice_id" uuid NOT NULL, "order_line_id" uuid NOT NULL, "quantity" integer NOT NULL, "amount_fen" bigint NOT NULL, CONSTRAINT "CHK_15b7dd1dcebf07099f1be2dea6" CHECK (quantity >= 0 AND amount_fen >= 0), CONSTRAINT "PK_112d67e85951a56ee5123e9c803" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_36e6eecdb00b171d90ff63f2d2" ON "invoice_line"  ("invoice_id") `);
    await queryRunner.query(`CREATE TABLE "off_platform_purchase" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "product_id" uuid, "variety_id" uuid, "month" date NOT NULL, "quantity" bigint NOT NULL, "amount_fen" bigint NOT NULL, "reason" text NOT NULL, "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reported_by" uuid NOT NULL, CONSTRAINT "CHK_a27edd1fcc000275b2047e1cfd" CHECK (EXTRACT(DAY FROM month) = 1), CONSTRAINT "CHK_04f70f2dd9524d17f1a0e78df5" CHECK (product_id IS NOT NULL OR variety_id IS NOT NULL), CONSTRAINT "CHK_5580f5ce6a137e35ef77432758" CHECK (quantity > 0 AND amount_fen >= 0), CONSTRAINT "PK_5c095370b5f381c25ec475aba45" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ac45fda422600c6baf5aaac19b" ON "off_platform_purchase"  ("region_code", "month") `);
    await queryRunner.query(`CREATE INDEX "IDX_c03ff21e728ee13470d4435ab3" ON "off_platform_purchase"  ("hospital_id", "month") `);

    // Published read models (docs/context-contracts.md): columns are a contract, add only.
    await queryRunner.query(`
      CREATE VIEW v_order_line_fact AS
      SELECT l.id AS order_line_id, l.order_id, l.hospital_id, l.region_code, l.manufacturer_id, o.distributor_id,
             l.product_id, l.variety_id, l.source, l.agreement_id, l.listing_id, l.unit_price,
             l.quantity::bigint AS ordered_quantity,
             (l.accepted_quantity + l.rejected_quantity)::bigint AS delivered_quantity,
             l.delivered_within_sla_quantity::bigint AS delivered_within_sla_quantity,
             (l.accepted_quantity - l.returned_quantity)::bigint AS accepted_quantity,
             l.ordered_at, o.emergency, o.state,
             l.shipped_quantity::bigint AS shipped_quantity, l.returned_quantity::bigint AS returned_quantity,
             o.deliver_by, o.sla_policy_version
        FROM order_line l JOIN purchase_order o ON o.id = l.order_id`);
    await queryRunner.query(`
      CREATE VIEW v_settleable_line AS
      SELECT rl.id AS line_id, 'RECEIPT'::text AS kind, r.order_id, r.hospital_id, r.region_code, l.manufacturer_id,
             l.product_id, l.agreement_id, l.unit_price, rl.accepted_quantity::bigint AS quantity,
             r.received_at AS accepted_at,
             EXISTS (SELECT 1 FROM invoice i WHERE i.shipment_id = r.shipment_id AND i.state = 'MATCHED') AS invoiced,
             l.id AS order_line_id, r.shipment_id
        FROM receipt_line rl
        JOIN receipt r ON r.id = rl.receipt_id
        JOIN order_line l ON l.id = rl.order_line_id
       WHERE rl.accepted_quantity > 0
      UNION ALL
      SELECT gl.id, 'RETURN'::text, g.order_id, g.hospital_id, g.region_code, l.manufacturer_id,
             l.product_id, l.agreement_id, l.unit_price, -(gl.quantity::bigint),
             g.returned_at,
             EXISTS (SELECT 1 FROM invoice i WHERE i.shipment_id = r.shipment_id AND i.state = 'MATCHED'),
             l.id, r.shipment_id
        FROM goods_return_line gl
        JOIN goods_return g ON g.id = gl.return_id
        JOIN receipt_line rl ON rl.id = gl.receipt_line_id
        JOIN receipt r ON r.id = rl.receipt_id
        JOIN order_line l ON l.id = gl.order_line_id`);
    await queryRunner.query(`
      CREATE VIEW v_off_platform_purchase AS
      SELECT p.id AS report_id, p.hospital_id, p.region_code, p.product_id,
             COALESCE(p.variety_id, pr.variety_id) AS variety_id, p.month, p.quantity, p.amount_fen, p.reported_at
        FROM off_platform_purchase p LEFT JOIN product pr ON pr.id = p.product_id`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW v_off_platform_purchase`);
    await queryRunner.query(`DROP VIEW v_settleable_line`);
    await queryRunner.query(`DROP VIEW v_order_line_fact`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c03ff21e728ee13470d4435ab3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ac45fda422600c6baf5aaac19b"`);
    await queryRunner.query(`DROP TABLE "off_platform_purchase"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_36e6eecdb00b171d90ff63f2d2"`);
    await queryRunner.query(`DROP TABLE "invoice_line"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b28a47ec1944cca9fccc54ecff"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_786dbdcaf68b1d072f6966a117"`);
    await queryRunner.query(`DROP TABLE "invoice"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_35b30dd229e693d80d93a1ea57"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_45e9fbea7c209091f2ce401bb3"`);
    await queryRunner.query(`DROP TABLE "goods_return_line"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_269668b61cd065b32c3281d44f"`);
    await queryRunner.query(`DROP TABLE "goods_return"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_94172cf5d5fdf40f16eb2e549d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_86eecf467e9a8d266ede60940b"`);
    await queryRunner.query(`DROP TABLE "receipt_line"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_df2fab32e944407c679a6b41f6"`);
    await queryRunner.query(`DROP TABLE "receipt"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_03852adfd17070a574ff82172e"`);
    await queryRunner.query(`DROP TABLE "shipment_line"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8326c2309eef8967ec2b38a05e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2090125e37316a485d25b351c1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d51908836cabcb639b5525ca28"`);
    await queryRunner.query(`DROP TABLE "shipment"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ad4a2eacf49336bbe78104fa3f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_62e51d7607fa0006a3dafcf2f5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b1748bd0e1ad3a9a4ca3aa4f89"`);
    await queryRunner.query(`DROP TABLE "order_line"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_308ac50607e0fc66d5ca3a7bc4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f4b9a3d5fc926233323c3fb02a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_69e914a93276a03b8ed3e382b7"`);
    await queryRunner.query(`DROP TABLE "purchase_order"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a1caa2c63192b960541406ec8a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8d49f222df14d5a124cae8e718"`);
    await queryRunner.query(`DROP TABLE "distributor_appointment"`);
  }
}
