import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Insurance settlement lines (医保结算清单) as an independent volume source, one import row per hospital-month;
 * KPI targets as versioned data (the 2025 targets of the plan); and the monitoring rule that compares the
 * off-platform share the claims reveal with what the hospital reported (threshold as rule data).
 */
export class InsuranceClaimsKpiTargets1797800000001 implements MigrationInterface {
  name = 'InsuranceClaimsKpiTargets1797800000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "insurance_claim_import" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "hospital_id" uuid NOT NULL, "hospital_code" text NOT NULL, "region_code" character(6) NOT NULL, "month" date NOT NULL, "line_count" integer NOT NULL, "unmatched_lines" integer NOT NULL, "amount_fen" bigint NOT NULL, "sha256" text NOT NULL, "file_name" text, "revision" integer NOT NULL DEFAULT '1', "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL, "imported_by" uuid NOT NULL, CONSTRAINT "uq_insurance_claim_import_hospital_month" UNIQUE ("hospital_id", "month"), CONSTRAINT "CHK_03fd9c5c2ef43af020c22fa7d0" CHECK (line_count >= 0 AND amount_fen >= 0), CONSTRAINT "CHK_a396d823809340d6d316204794" CHECK (EXTRACT(DAY FROM month) = 1), CONSTRAINT "PK_e77a57728338b468ee169393938" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_e1b6caa5768a9dc8235f05bc20" ON "insurance_claim_import"  ("region_code") `);
    await queryRunner.query(`CREATE TABLE "insurance_claim_line" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "import_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "month" date NOT NULL, "insurance_code" text NOT NULL, "product_id" uuid, "quantity" bigint NOT NULL, "amount_fen" bigint NOT NULL, "line_no" integer NOT NULL, CONSTRAINT "CHK_936ef4127f182cc41f95bf3f1f" CHECK (quantity > 0 AND amount_fen >= 0), CONSTRAINT "PK_9fa7abcf8dc8cfb5b9e53a386b9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_082be49c1ab53ff065b727a427" ON "insurance_claim_line"  ("import_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_b364b79d1392f24ce3f634dc4e" ON "insurance_claim_line"  ("product_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_6a8654aa56a3fba86b760d6e5b" ON "insurance_claim_line"  ("hospital_id", "month") `);
    await queryRunner.query(`CREATE TABLE "kpi_target" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "version" integer NOT NULL, "target" numeric(18,4) NOT NULL, "comparator" text NOT NULL DEFAULT 'AT_LEAST', "policy" text NOT NULL, "effective_from" date NOT NULL, "effective_to" date, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_d92ca5ee664b8e48dd47638cfe3" UNIQUE ("code", "version"), CONSTRAINT "CHK_1689bcd9424eb6a33534f185d5" CHECK (comparator IN ('AT_LEAST','AT_MOST')), CONSTRAINT "CHK_c330c85fbe26d9b0d6e46d4ed8" CHECK (effective_to IS NULL OR effective_to > effective_from), CONSTRAINT "CHK_0b689e9369b35dc0bca31682d5" CHECK (version >= 1), CONSTRAINT "PK_c34adc0d9347ab04e2a4f80909e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`INSERT INTO kpi_target (code, version, target, comparator, policy, effective_from) VALUES
        ('DRUG_PLATFORM_SHARE', 1, 0.9, 'AT_LEAST', '公立医疗机构通过省级招采平台采购药品金额占全部采购药品（不含中药饮片）金额的比例达到 90%', '2025-01-01'),
        ('DRUG_PLATFORM_SHARE_REPORTED', 1, 0.9, 'AT_LEAST', '同上（仅以医疗机构自报的线下采购计算）', '2025-01-01'),
        ('HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE', 1, 0.8, 'AT_LEAST', '高值医用耗材通过省级招采平台采购金额占比达到 80%', '2025-01-01'),
        ('HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE_REPORTED', 1, 0.8, 'AT_LEAST', '同上（仅以医疗机构自报的线下采购计算）', '2025-01-01'),
        ('VBP_DRUG_VARIETIES', 1, 500, 'AT_LEAST', '国家和省级药品集中带量采购品种达 500 个以上', '2025-01-01'),
        ('VBP_CONSUMABLE_CLASSES', 1, 5, 'AT_LEAST', '高值医用耗材集中带量采购品种类别达 5 类以上', '2025-01-01'),
        ('AGREEMENT_COMPLETION', 1, 1, 'AT_LEAST', '医疗机构按协议采购量完成采购：已验收量不低于按协议周期进度折算的协议量', '2025-01-01'),
        ('DELIVERY_RATE', 1, 0.95, 'AT_LEAST', '配送企业按时限配送：时限内配送量占订单量不低于 95%', '2025-01-01'),
        ('PAYMENT_ON_TIME', 1, 1, 'AT_LEAST', '医保基金与企业直接结算，货款自验收合格之日起 30 日内结清', '2025-01-01')`);
    await queryRunner.query(`INSERT INTO monitoring_rule (code, version, name, subject_kind, severity, params, policy, effective_from) VALUES
        ('OFF_PLATFORM_UNDER_REPORTED', 1, '线下采购少报（医保结算清单核对）', 'HOSPITAL', 'HIGH', '{"maxGap":"0.10"}'::jsonb,
         '以医保结算清单核对医疗机构线下采购：结算清单反映的线下采购占比高于医疗机构自报占比 10 个百分点以上的，予以提示', '2025-01-01')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM alert_case_entry WHERE alert_id IN (SELECT id FROM alert WHERE rule_code = 'OFF_PLATFORM_UNDER_REPORTED')`);
    await queryRunner.query(`DELETE FROM alert WHERE rule_code = 'OFF_PLATFORM_UNDER_REPORTED'`);
    await queryRunner.query(`DELETE FROM monitoring_rule WHERE code = 'OFF_PLATFORM_UNDER_REPORTED'`);
    await queryRunner.query(`DROP TABLE "kpi_target"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6a8654aa56a3fba86b760d6e5b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b364b79d1392f24ce3f634dc4e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_082be49c1ab53ff065b727a427"`);
    await queryRunner.query(`DROP TABLE "insurance_claim_line"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e1b6caa5768a9dc8235f05bc20"`);
    await queryRunner.query(`DROP TABLE "insurance_claim_import"`);
  }
}
