import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed: business events raised by the database itself, in the same transaction as the change
 * that causes them (deferred constraint triggers, so they see the whole transaction — an order's lines — at
 * commit), given a feed position only after commit by the positioner (src/platform/events). docs/change-feed.md
 * lists which change raises which event and who may read it.
 */
export class ChangeFeed1798100000000 implements MigrationInterface {
  name = 'ChangeFeed1798100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "business_event" ("seq" BIGSERIAL NOT NULL, "position" bigint, "type" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "subject_type" text NOT NULL, "subject_id" text NOT NULL, "region_path" text, "organisation_ids" uuid array NOT NULL DEFAULT '{}', "is_public" boolean NOT NULL DEFAULT false, "data" jsonb NOT NULL DEFAULT '{}', "positioned_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_business_event_seq" PRIMARY KEY ("seq"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "business_event_position" ON "business_event" ("position") `);
    await queryRunner.query(`CREATE INDEX "business_event_unpositioned" ON "business_event" ("seq") WHERE position IS NULL`);
    await queryRunner.query(`CREATE INDEX "business_event_organisations" ON "business_event" USING gin ("organisation_ids")`);
    await queryRunner.query(`CREATE TABLE "webhook_subscription" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "url" text NOT NULL, "secret" text NOT NULL, "event_types" text array, "active" boolean NOT NULL DEFAULT true, "cursor_position" bigint NOT NULL, "policy_version" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deactivated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_webhook_subscription_id" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "webhook_subscription_organisation" ON "webhook_subscription" ("organisation_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "webhook_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subscription_id" uuid NOT NULL, "event_position" bigint NOT NULL, "state" text NOT NULL, "attempts" integer NOT NULL DEFAULT 0, "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_error" text, "last_status" integer, "delivered_at" TIMESTAMP WITH TIME ZONE, "dead_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_74bc581d3dd1f982e07f235722" CHECK (state IN ('PENDING','DELIVERED','DEAD')), CONSTRAINT "PK_webhook_delivery_id" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "webhook_delivery_once" ON "webhook_delivery" ("subscription_id", "event_position") `);
    await queryRunner.query(`CREATE INDEX "webhook_delivery_due" ON "webhook_delivery" ("state", "next_attempt_at") `);

    // one helper every trigger calls: the region path of the change and who may read it. A bulk load of
    // historic rows (a benchmark's generated province, a migration from a legacy platform) may set
    // vbp.raise_events = 'off' in its own transaction: those rows are not events that happen now.
    await queryRunner.query(`
      CREATE FUNCTION vbp_raise_event(p_type text, p_at timestamptz, p_subject_type text, p_subject_id text, p_region_code text,
                                      p_organisations uuid[], p_public boolean, p_data jsonb) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('vbp.raise_events', true) = 'off' THEN RETURN; END IF;
        INSERT INTO business_event (type, occurred_at, subject_type, subject_id, region_path, organisation_ids, is_public, data)
        VALUES (p_type, coalesce(p_at, now()), p_subject_type, p_subject_id,
                (SELECT path FROM region WHERE code = p_region_code),
                ARRAY(SELECT DISTINCT o FROM unnest(p_organisations) AS o WHERE o IS NOT NULL ORDER BY o),
                p_public, coalesce(p_data, '{}'::jsonb));
      END $$`);
    // an order's parties: the hospital, its distributor and the manufacturers of its lines
    await queryRunner.query(`
      CREATE FUNCTION vbp_order_parties(p_order_id uuid) RETURNS uuid[] LANGUAGE sql STABLE AS $$
        SELECT array_agg(DISTINCT x) FROM (
          SELECT hospital_id AS x FROM purchase_order WHERE id = p_order_id
          UNION ALL SELECT distributor_id FROM purchase_order WHERE id = p_order_id
          UNION ALL SELECT manufacturer_id FROM order_line WHERE order_id = p_order_id) parties
      $$`);

    await queryRunner.query(`
      CREATE FUNCTION vbp_event_purchase_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM vbp_raise_event('order.placed', NEW.ordered_at, 'PurchaseOrder', NEW.id::text, NEW.region_code, vbp_order_parties(NEW.id), false,
            jsonb_build_object('orderId', NEW.id, 'hospitalId', NEW.hospital_id, 'distributorId', NEW.distributor_id, 'state', NEW.state, 'total', NEW.total_fen::text, 'emergency', NEW.emergency));
        ELSIF NEW.state IS DISTINCT FROM OLD.state AND NEW.state IN ('CONFIRMED', 'REJECTED', 'CANCELLED', 'CLOSED') THEN
          PERFORM vbp_raise_event('order.' || lower(NEW.state), CASE WHEN NEW.state = 'CONFIRMED' THEN NEW.confirmed_at ELSE NEW.closed_at END,
            'PurchaseOrder', NEW.id::text, NEW.region_code, vbp_order_parties(NEW.id), false,
            jsonb_build_object('orderId', NEW.id, 'state', NEW.state, 'previousState', OLD.state, 'reason', NEW.state_reason));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION vbp_event_order_step() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'shipment' THEN
          PERFORM vbp_raise_event('order.shipped', NEW.shipped_at, 'Shipment', NEW.id::text, NEW.region_code, vbp_order_parties(NEW.order_id), false,
            jsonb_build_object('orderId', NEW.order_id, 'shipmentId', NEW.id, 'withinSla', NEW.within_sla));
        ELSIF TG_TABLE_NAME = 'receipt' THEN
          PERFORM vbp_raise_event('order.received', NEW.received_at, 'Receipt', NEW.id::text, NEW.region_code, vbp_order_parties(NEW.order_id), false,
            jsonb_build_object('orderId', NEW.order_id, 'shipmentId', NEW.shipment_id, 'receiptId', NEW.id, 'automatic', NEW.automatic));
        ELSIF TG_TABLE_NAME = 'goods_return' THEN
          PERFORM vbp_raise_event('order.returned', NEW.returned_at, 'GoodsReturn', NEW.id::text, NEW.region_code, vbp_order_parties(NEW.order_id), false,
            jsonb_build_object('orderId', NEW.order_id, 'returnId', NEW.id));
        ELSIF TG_TABLE_NAME = 'invoice' THEN
          IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state THEN
            PERFORM vbp_raise_event('invoice.' || lower(NEW.state), NEW.submitted_at, 'Invoice', NEW.id::text, NEW.region_code, vbp_order_parties(NEW.order_id), false,
              jsonb_build_object('orderId', NEW.order_id, 'shipmentId', NEW.shipment_id, 'invoiceId', NEW.id, 'invoiceNumber', NEW.invoice_number, 'total', NEW.total_fen::text));
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION vbp_event_payment_instruction() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await queryRunner.query(`
      CREATE FUNCTION vbp_event_price() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE l listing%ROWTYPE;
      BEGIN
        SELECT * INTO l FROM listing WHERE id = NEW.listing_id;
        PERFORM vbp_raise_event('price.changed', NEW.valid_from, 'Listing', NEW.listing_id::text, l.region_code, ARRAY[NEW.manufacturer_id], true,
          jsonb_build_object('listingId', NEW.listing_id, 'productId', NEW.product_id, 'manufacturerId', NEW.manufacturer_id,
                             'unitPrice', NEW.unit_price::text, 'state', NEW.state, 'validFrom', NEW.valid_from));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION vbp_event_round() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.state IS DISTINCT FROM OLD.state AND NEW.state <> 'DRAFT' THEN
          PERFORM vbp_raise_event(CASE WHEN OLD.state = 'DRAFT' THEN 'round.published' ELSE 'round.' || lower(NEW.state) END,
            CASE WHEN OLD.state = 'DRAFT' THEN NEW.published_at WHEN NEW.state = 'OPENED' THEN NEW.opened_at WHEN NEW.state = 'CONFIRMED' THEN NEW.confirmed_at ELSE NULL END,
            'TenderRound', NEW.id::text, NEW.owner_region_code, ARRAY[]::uuid[], true,
            jsonb_build_object('roundId', NEW.id, 'name', NEW.name, 'level', NEW.level, 'state', NEW.state, 'previousState', OLD.state));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION vbp_event_agreement() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM vbp_raise_event('agreement.signed', NEW.created_at, 'VolumeAgreement', NEW.id::text, NEW.region_code,
            ARRAY[NEW.hospital_id, NEW.manufacturer_id, NEW.backup_manufacturer_id], false,
            jsonb_build_object('agreementId', NEW.id, 'roundId', NEW.round_id, 'hospitalId', NEW.hospital_id, 'manufacturerId', NEW.manufacturer_id,
                               'productId', NEW.product_id, 'agreedQuantity', NEW.agreed_quantity, 'awardedUnitPrice', NEW.awarded_unit_price::text));
        ELSIF NEW.state IS DISTINCT FROM OLD.state THEN
          PERFORM vbp_raise_event('agreement.' || lower(NEW.state), NULL, 'VolumeAgreement', NEW.id::text, NEW.region_code,
            ARRAY[NEW.hospital_id, NEW.manufacturer_id, NEW.backup_manufacturer_id], false,
            jsonb_build_object('agreementId', NEW.id, 'state', NEW.state, 'previousState', OLD.state));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION vbp_event_alert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM vbp_raise_event('alert.raised', NEW.raised_at, 'Alert', NEW.id::text, NEW.region_code, ARRAY[NEW.answering_organisation_id], false,
          jsonb_build_object('alertId', NEW.id, 'ruleCode', NEW.rule_code, 'severity', NEW.severity, 'subjectKind', NEW.subject_kind,
                             'subjectId', NEW.subject_id, 'period', NEW.period));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION vbp_event_credit_rating() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.current THEN
          PERFORM vbp_raise_event('credit.rating_effective', NEW.rated_at, 'CreditRating', NEW.id::text,
            (SELECT region_code FROM organisation WHERE id = NEW.organisation_id), ARRAY[NEW.organisation_id], false,
            jsonb_build_object('ratingId', NEW.id, 'organisationId', NEW.organisation_id, 'level', NEW.level, 'policyVersion', NEW.policy_version));
        END IF;
        RETURN NULL;
      END $$`);

    const triggers: [string, string, string][] = [
      ['purchase_order', 'INSERT OR UPDATE OF state', 'vbp_event_purchase_order'],
      ['shipment', 'INSERT', 'vbp_event_order_step'],
      ['receipt', 'INSERT', 'vbp_event_order_step'],
      ['goods_return', 'INSERT', 'vbp_event_order_step'],
      ['invoice', 'INSERT OR UPDATE OF state', 'vbp_event_order_step'],
      ['payment_instruction', 'INSERT OR UPDATE OF state', 'vbp_event_payment_instruction'],
      ['listing_price_history', 'INSERT', 'vbp_event_price'],
      ['tender_round', 'UPDATE OF state', 'vbp_event_round'],
      ['volume_agreement', 'INSERT OR UPDATE OF state', 'vbp_event_agreement'],
      ['alert', 'INSERT', 'vbp_event_alert'],
      ['credit_rating', 'INSERT', 'vbp_event_credit_rating'],
    ];
    for (const [table, events, fn] of triggers) {
      await queryRunner.query(
        // a bulk load that turned events off queues nothing at all (WHEN is evaluated as the row changes)
        `CREATE CONSTRAINT TRIGGER "${table}_business_event" AFTER ${events} ON "${table}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
           WHEN (current_setting('vbp.raise_events', true) IS DISTINCT FROM 'off') EXECUTE FUNCTION ${fn}()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['credit_rating', 'alert', 'volume_agreement', 'tender_round', 'listing_price_history', 'payment_instruction', 'invoice', 'goods_return', 'receipt', 'shipment', 'purchase_order']) {
      await queryRunner.query(`DROP TRIGGER "${table}_business_event" ON "${table}"`);
    }
    for (const fn of ['vbp_event_credit_rating', 'vbp_event_alert', 'vbp_event_agreement', 'vbp_event_round', 'vbp_event_price', 'vbp_event_payment_instruction', 'vbp_event_order_step', 'vbp_event_purchase_order']) {
      await queryRunner.query(`DROP FUNCTION ${fn}()`);
    }
    await queryRunner.query(`DROP FUNCTION vbp_order_parties(uuid)`);
    await queryRunner.query(`DROP FUNCTION vbp_raise_event(text, timestamptz, text, text, text, uuid[], boolean, jsonb)`);
    await queryRunner.query(`DROP TABLE "webhook_delivery"`);
    await queryRunner.query(`DROP TABLE "webhook_subscription"`);
    await queryRunner.query(`DROP TABLE "business_event"`);
  }
}
