import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * vbp_order_parties, called by the change feed's trigger on every order step, becomes PL/pgSQL. As a SQL
 * function it was planned without the order id in hand and, on statistics of a young table, scanned
 * purchase_order and order_line whole: 0.3–1.4 ms per placed order in bench:orders, growing with the table
 * until autovacuum's next ANALYZE. PL/pgSQL plans its query with the id and keeps a plan that uses the
 * indexes (0.03 ms). The parties are the same set; vbp_raise_event sorts and deduplicates them.
 */
export class OrderPartiesPlanned1798400000000 implements MigrationInterface {
  name = 'OrderPartiesPlanned1798400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION vbp_order_parties(p_order_id uuid) RETURNS uuid[] LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN ARRAY(SELECT hospital_id FROM purchase_order WHERE id = p_order_id
                     UNION SELECT distributor_id FROM purchase_order WHERE id = p_order_id
                     UNION SELECT manufacturer_id FROM order_line WHERE order_id = p_order_id);
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION vbp_order_parties(uuid)`);
    await queryRunner.query(`
      CREATE FUNCTION vbp_order_parties(p_order_id uuid) RETURNS uuid[] LANGUAGE sql STABLE AS $$
        SELECT array_agg(DISTINCT x) FROM (
          SELECT hospital_id AS x FROM purchase_order WHERE id = p_order_id
          UNION ALL SELECT distributor_id FROM purchase_order WHERE id = p_order_id
          UNION ALL SELECT manufacturer_id FROM order_line WHERE order_id = p_order_id) parties
      $$`);
  }
}
