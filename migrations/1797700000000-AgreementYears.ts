import { MigrationInterface, QueryRunner } from 'typeorm';

export class AgreementYears1797700000000 implements MigrationInterface {
  name = 'AgreementYears1797700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "agreement_year" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agreement_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "year_index" integer NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "state" text NOT NULL, "agreed_quantity" bigint, "purchased_quantity" bigint NOT NULL DEFAULT '0', "default_quantity" bigint, "resigned_at" TIMESTAMP WITH TIME ZONE, "resigned_by" text, "rules_version" integer NOT NULL, "shortfall_quantity" bigint, "surplus_quantity" bigint, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_fa0ffa7b781ec5b8505b16f18ef" UNIQUE ("agreement_id", "year_index"), CONSTRAINT "CHK_345ea2341a12870286fc99fa46" CHECK ((state = 'CLOSED') = (closed_at IS NOT NULL)), CONSTRAINT "CHK_84a1552fa8511fd492dc36bf56" CHECK ((state = 'AWAITING_RESIGN') = (agreed_quantity IS NULL)), CONSTRAINT "CHK_553624d729a40c39f4d4950589" CHECK (purchased_quantity >= 0), CONSTRAINT "CHK_da25e9699b495470bdd76f2fdd" CHECK (starts_at < ends_at), CONSTRAINT "CHK_5be227a82bdad3d1951d4ee98e" CHECK (year_index >= 1), CONSTRAINT "CHK_2cb90e1dbe9a8f7c111ee42a3c" CHECK (state IN ('AWAITING_RESIGN','SIGNED','CLOSED')), CONSTRAINT "PK_02d349893c5dec22c8ab54661b2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_60f9e1efb6dd69789039941f7a" ON "agreement_year"  ("agreement_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_0ba9ad56a14eec51156adef2fe" ON "agreement_year"  ("ends_at", "state") `);
    // agreements made before agreement years: one year per annual quantity in the cycle total, year 1 signed
    // (with every receipt so far), later years awaiting re-signing; years run on Asia/Shanghai calendar dates
    await queryRunner.query(`INSERT INTO agreement_year (agreement_id, hospital_id, manufacturer_id, region_code, year_index, starts_at, ends_at, state, agreed_quantity, purchased_quantity, rules_version)
      SELECT a.id, a.hospital_id, a.manufacturer_id, a.region_code, i,
             ((a.cycle_start AT TIME ZONE 'Asia/Shanghai') + make_interval(years => i - 1)) AT TIME ZONE 'Asia/Shanghai',
             CASE WHEN i = n THEN a.cycle_end ELSE ((a.cycle_start AT TIME ZONE 'Asia/Shanghai') + make_interval(years => i)) AT TIME ZONE 'Asia/Shanghai' END,
             CASE WHEN i = 1 THEN 'SIGNED' ELSE 'AWAITING_RESIGN' END,
             CASE WHEN i = 1 THEN a.annual_quantity END,
             CASE WHEN i = 1 THEN a.purchased_quantity ELSE 0 END,
             1
        FROM (SELECT v.*, GREATEST(round(v.agreed_quantity::numeric / v.annual_quantity)::int, 1) AS n FROM volume_agreement v WHERE v.annual_quantity > 0) a
        CROSS JOIN LATERAL generate_series(1, a.n) AS i
       WHERE ((a.cycle_start AT TIME ZONE 'Asia/Shanghai') + make_interval(years => i - 1)) AT TIME ZONE 'Asia/Shanghai' < a.cycle_end`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_0ba9ad56a14eec51156adef2fe"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_60f9e1efb6dd69789039941f7a"`);
    await queryRunner.query(`DROP TABLE "agreement_year"`);
  }
}
