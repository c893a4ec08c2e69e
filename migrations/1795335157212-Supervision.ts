import { MigrationInterface, QueryRunner } from 'typeorm';

export class Supervision1795335157212 implements MigrationInterface {
  name = 'Supervision1795335157212';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "monitoring_rule" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "version" integer NOT NULL, "name" text NOT NULL, "subject_kind" text NOT NULL, "severity" text NOT NULL, "params" jsonb NOT NULL, "policy" text NOT NULL, "effective_from" date NOT NULL, "effective_to" date, "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_f382b3ee3d716e7a5c7ac2d245f" UNIQUE ("code", "version"), CONSTRAINT "CHK_975e4609a83cfe1e121f7bd0a9" CHECK (effective_to IS NULL OR effective_to > effective_from), CONSTRAINT "CHK_a79b0b9f84dfb5c2fa9d527c86" CHECK (subject_kind IN ('HOSPITAL','MANUFACTURER','DISTRIBUTOR','PRODUCT','REGION')), CONSTRAINT "CHK_0954da7eb22dfbe88c24c77ec4" CHECK (severity IN ('LOW','MEDIUM','HIGH')), CONSTRAINT "CHK_a3511fb07377ebcdcf266e6ded" CHECK (version >= 1), CONSTRAINT "PK_5bbb55d5ac67b9cf96f40427b15" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "monitoring_run" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "period" date NOT NULL, "trigger" text NOT NULL, "state" text NOT NULL, "rules_total" integer NOT NULL, "rules_done" integer NOT NULL DEFAULT '0', "alerts_raised" integer NOT NULL DEFAULT '0', "alerts_updated" integer NOT NULL DEFAULT '0', "skipped" jsonb NOT NULL DEFAULT '[]', "failure" text, "requested_by" uuid, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_55815d1e2e58a9ca4b8ace8174" CHECK (rules_done >= 0 AND rules_done <= rules_total), CONSTRAINT "CHK_6470e002d37d507cbbaae2711d" CHECK (trigger IN ('SCHEDULE','REQUEST')), CONSTRAINT "CHK_51ab678fa19f17e8d0e49e0541" CHECK (state IN ('RUNNING','SUCCEEDED','FAILED')), CONSTRAINT "PK_af30b73f2dee08c9bc99ef4b504" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_b73662ea36da390337be219fad" ON "monitoring_run"  ("period") `);
    await queryRunner.query(`CREATE TABLE "alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "rule_code" text NOT NULL, "rule_version" integer NOT NULL, "rule_id" uuid NOT NULL, "severity" text NOT NULL, "subject_kind" text NOT NULL, "subject_id" uuid NOT NULL, "subject_key" text NOT NULL, "subject_name" text, "answering_organisation_id" uuid, "region_code" character(6) NOT NULL, "region_path" text NOT NULL, "period" date NOT NULL, "evidence" jsonb NOT NULL, "state" text NOT NULL DEFAULT 'OPEN', "deadline" date, "credit_event_id" uuid, "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL, "refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_run_id" uuid NOT NULL, "row_version" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_alert_rule_subject_period" UNIQUE ("rule_code", "subject_key", "period"), CONSTRAINT "CHK_32a2621fdc7872342560f85205" CHECK (subject_kind IN ('HOSPITAL','MANUFACTURER','DISTRIBUTOR','PRODUCT','REGION')), CONSTRAINT "CHK_2f5a7aaaa8291615e6677fe5cc" CHECK (state IN ('OPEN','INQUIRY','INTERVIEW','RECTIFIED','DISMISSED','ESCALATED_TO_CREDIT')), CONSTRAINT "PK_ad91cad659a3536465d564a4b2f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_29220b4101b3b1a767da43de3e" ON "alert"  ("subject_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_5399e0dc336fed106c1a24df28" ON "alert"  ("answering_organisation_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_e96d6df619d6bfd4add8e19d77" ON "alert"  ("region_path", "period") `);
    await queryRunner.query(`CREATE TABLE "alert_case_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "alert_id" uuid NOT NULL, "kind" text NOT NULL, "from_state" text, "to_state" text, "note" text NOT NULL, "deadline" date, "author_user_id" uuid, "author_organisation_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_efd6175ef1ebb1f2fc3c09bd1b" CHECK (kind IN ('TRANSITION','ANSWER')), CONSTRAINT "PK_ddb422eb939beb0e0df3f69c812" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_2ed6d91e701d3e59d5fbbc53ed" ON "alert_case_entry"  ("alert_id") `);
    await queryRunner.query(`ALTER TABLE "alert_case_entry" ADD CONSTRAINT "FK_2ed6d91e701d3e59d5fbbc53ed4" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    // The case history is append-only: a step once written is never changed or removed.
    await queryRunner.query(`CREATE FUNCTION alert_case_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'alert_case_entry is append-only'; END $$`);
    await queryRunner.query(`CREATE TRIGGER alert_case_entry_append_only BEFORE UPDATE OR DELETE ON alert_case_entry
      FOR EACH ROW EXECUTE FUNCTION alert_case_entry_refuse_change()`);
    // Version 1 of every monitoring rule: the defaults of domain §8, frozen here as data (later versions are rows
    // published by regulators, never edits of this migration).
    await queryRunner.query(`INSERT INTO monitoring_rule (code, version, name, subject_kind, severity, params, policy, effective_from) VALUES
        ('AGREEMENT_COMPLETION_BEHIND', 1, '协议量完成进度滞后', 'HOSPITAL', 'MEDIUM', '{"pointsBehind":"0.10"}'::jsonb, '带量采购协议采购量完成进度 = 已验收量 ÷ 协议量，落后于协议周期已过比例 10 个百分点以上的，予以提示', '2025-01-01'),
        ('SUBSTITUTION_NON_WINNING', 1, '非中选产品替代使用', 'HOSPITAL', 'MEDIUM', '{"monthOnMonthRise":"0.10"}'::jsonb, '医疗机构同通用名非中选产品采购占比环比上升超过 10 个百分点，或超过 1 − 协议量占比的，予以提示', '2025-01-01'),
        ('DELIVERY_RATE_LOW', 1, '配送率偏低', 'DISTRIBUTOR', 'MEDIUM', '{"minRate":"0.90"}'::jsonb, '配送率 = 时限内配送量 ÷ 订单量，低于 90% 的予以提示。河南省“十四五”医疗保障规划：对价格、采购数量、配送率等出现异常变动的，要及时调查', '2025-01-01'),
        ('DELIVERY_SHORTAGE', 1, '连续三月配送率低于10%（短缺信号）', 'MANUFACTURER', 'HIGH', '{"maxRate":"0.10","consecutiveMonths":3}'::jsonb, '企业产品配送率连续 3 个月低于 10% 的，视为短缺信号，挂网产品予以暂停', '2025-01-01'),
        ('PRICE_ABOVE_IN_FORCE', 1, '成交价高于执行价', 'HOSPITAL', 'HIGH', '{}'::jsonb, '订单成交价不得高于下单时的协议价或挂网执行价', '2025-01-01'),
        ('LISTING_ABOVE_REFERENCE', 1, '挂网价高于四同最低价', 'PRODUCT', 'MEDIUM', '{}'::jsonb, '挂网价格不得高于同通用名、同企业、同剂型、同规格产品在其他省份的最低挂网价（价格联动）', '2025-01-01'),
        ('LISTING_ABOVE_VBP_MULTIPLE', 1, '挂网价高于中选价倍数', 'PRODUCT', 'MEDIUM', '{"winnerOutsideSupplyMultiple":"1.5","nonWinnerMultiple":"1.0"}'::jsonb, '非中选产品挂网价不高于同品种中选最高价（按差比价折算）的 1.0 倍；国家中选企业在非供应地区挂网不高于其中选价 1.5 倍', '2025-01-01'),
        ('PRICE_CHANGE_MOM', 1, '价格环比变动超过20%', 'PRODUCT', 'MEDIUM', '{"maxChange":"0.20"}'::jsonb, '产品月均成交价环比变动超过 20% 的予以提示。河南省“十四五”医疗保障规划：对价格、采购数量、配送率等出现异常变动的，要及时调查', '2025-01-01'),
        ('VOLUME_VS_DEMAND', 1, '采购量偏离申报需求', 'HOSPITAL', 'MEDIUM', '{"aboveMultiple":"3","belowFraction":"0.3333"}'::jsonb, '医疗机构品种月采购量超过申报需求月均量 3 倍或低于 1/3 的予以提示', '2025-01-01'),
        ('PLATFORM_PURCHASE_RATE_LOW', 1, '网采率偏低', 'HOSPITAL', 'MEDIUM', '{"minDrugRate":"0.90","minHighValueConsumableRate":"0.80"}'::jsonb, '公立医疗机构药品网采率不低于 90%，高值医用耗材网采率不低于 80%', '2025-01-01'),
        ('PAYABLE_OVERDUE', 1, '货款逾期超过30天', 'HOSPITAL', 'HIGH', '{"overdueDays":30}'::jsonb, '医保基金与企业直接结算，货款自验收合格之日起 30 日内结清；逾期超过 30 日的予以提示', '2025-01-01')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER alert_case_entry_append_only ON alert_case_entry`);
    await queryRunner.query(`DROP FUNCTION alert_case_entry_refuse_change()`);
    await queryRunner.query(`ALTER TABLE "alert_case_entry" DROP CONSTRAINT "FK_2ed6d91e701d3e59d5fbbc53ed4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2ed6d91e701d3e59d5fbbc53ed"`);
    await queryRunner.query(`DROP TABLE "alert_case_entry"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e96d6df619d6bfd4add8e19d77"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5399e0dc336fed106c1a24df28"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_29220b4101b3b1a767da43de3e"`);
    await queryRunner.query(`DROP TABLE "alert"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b73662ea36da390337be219fad"`);
    await queryRunner.query(`DROP TABLE "monitoring_run"`);
    await queryRunner.query(`DROP TABLE "monitoring_rule"`);
  }
}
