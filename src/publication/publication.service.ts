import { Inject, Injectable } from '@nestjs/common';
import { OcdsLot, OcdsParty, OcdsRoundInput, releasePackage } from '@libs/supervision-rules';
import { Db } from '../platform/database/db';
import { Clock } from '../platform/clock/clock';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { AppError } from '../platform/errors/app-error';
import { renderRoundDocument, RoundDocument } from './round-documents';
// rounds whose results are public: from publicity (公示) on; sealed or unopened rounds never leave the platform
import { PUBLIC_RESULT_ROUND_STATES as PUBLIC_ROUND_STATES } from './public-prices.service';

/** One bid of an opened round, from tendering's v_round_result (with the columns publishing needs). */
interface RoundResultRow {
  round_id: string;
  round_name: string;
  round_state: string;
  owner_region_code: string;
  round_published_at: Date | null;
  demand_deadline: Date | null;
  bid_deadline: Date | null;
  round_cycle_start: Date | null;
  publicity_days: number | null;
  publicity_ends_at: Date | null;
  confirmed_at: Date | null;
  opened_at: Date | null;
  lot_id: string;
  lot_name: string;
  reference_unit: string;
  cycle_years: number | null;
  lot_agreed_quantity: string | null;
  lot_spec_id: string;
  spec: string;
  comparable_factor: string;
  ceiling_unit_price: string;
  bid_id: string;
  manufacturer_id: string;
  bid_status: string;
  unit_price: string;
  awarded_unit_price: string | null;
  agreed_quantity: string;
}

const DAY_MS = 86_400_000;

function groupBy<T>(rows: T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** The columns of v_volume_agreement the export reads. */
interface AgreementViewRow {
  agreement_id: string;
  round_id: string;
  bid_id: string;
  hospital_id: string;
  manufacturer_id: string;
  awarded_unit_price: string;
  agreed_quantity: string;
  cycle_start: Date;
  cycle_end: Date;
  spec: string | null;
  signed_at: Date | null;
  terminated_at: Date | null;
  takes_over_agreement_id: string | null;
}

interface PaidLineRow {
  line_id: string;
  agreement_id: string;
  manufacturer_id: string;
  amount_fen: string;
  paid_at: Date;
}

/**
 * Public read models. The OCDS export gathers a round from the published views — v_round_result (tendering),
 * v_volume_agreement (agreements), v_payable_line (settlement; paid lines become implementation
 * transactions) — and maps it, one release per event, with the pure functions of libs/supervision-rules.
 */
@Injectable()
export class PublicationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ocdsPackage(roundIds: string[] | null): Promise<string> {
    return JSON.stringify(await this.buildPackage(roundIds));
  }

  /** A public round's notice, publicity or agreement as an HTML page; null if the round has none (or is not public). */
  async roundDocument(roundId: string, doc: RoundDocument): Promise<string | null> {
    const pkg = await this.buildPackage([roundId]);
    return renderRoundDocument(pkg.releases, doc);
  }

  private async buildPackage(roundIds: string[] | null) {
    if (roundIds && (roundIds.length > 50 || roundIds.some((id) => !/^[0-9a-f-]{36}$/i.test(id)))) {
      throw new AppError('VALIDATION_FAILED', 'Up to 50 round ids (UUIDs)', { field: 'roundIds' });
    }
    const present = await this.views(['v_round_result', 'v_volume_agreement', 'v_payable_line']);
    if (!present.v_round_result) throw new AppError('NOT_AVAILABLE', 'Round results are not published on this platform yet');
    const rows: RoundResultRow[] = await this.db.reads.query(
      `SELECT round_id, round_name, round_state, owner_region_code, round_published_at, demand_deadline, bid_deadline,
              round_cycle_start, publicity_days, publicity_ends_at, confirmed_at, opened_at,
              lot_id, lot_name, reference_unit, cycle_years, lot_agreed_quantity::text AS lot_agreed_quantity,
              lot_spec_id, spec, comparable_factor::text AS comparable_factor, ceiling_unit_price::text AS ceiling_unit_price,
              bid_id, manufacturer_id, bid_status, unit_price::text AS unit_price, awarded_unit_price::text AS awarded_unit_price,
              agreed_quantity::text AS agreed_quantity
         FROM v_round_result WHERE round_state = ANY($1::text[]) AND ($2::uuid[] IS NULL OR round_id = ANY($2::uuid[]))
        ORDER BY round_id, lot_id, bid_id`,
      [PUBLIC_ROUND_STATES, roundIds],
    );
    const byRound = groupBy(rows, (r) => r.round_id);
    const ids = [...byRound.keys()];
    const agreements = present.v_volume_agreement && ids.length
      ? await this.db.reads.query<AgreementViewRow[]>(
          `SELECT agreement_id, round_id, bid_id, hospital_id, manufacturer_id, agreed_quantity::text AS agreed_quantity,
                  awarded_unit_price::text AS awarded_unit_price, cycle_start, cycle_end, spec, signed_at, terminated_at, takes_over_agreement_id
             FROM v_volume_agreement WHERE round_id = ANY($1::uuid[]) ORDER BY agreement_id`,
          [ids],
        )
      : [];
    const payments = present.v_payable_line && agreements.length && (await this.hasColumn('v_payable_line', 'agreement_id'))
      ? await this.db.reads.query<PaidLineRow[]>(
          `SELECT line_id, agreement_id, manufacturer_id, amount_fen::text AS amount_fen, paid_at FROM v_payable_line
            WHERE paid_at IS NOT NULL AND agreement_id = ANY($1::uuid[]) ORDER BY paid_at, line_id`,
          [agreements.map((a) => a.agreement_id)],
        )
      : [];
    const orgIds = new Set<string>();
    rows.forEach((r) => orgIds.add(r.manufacturer_id));
    agreements.forEach((a) => orgIds.add(a.hospital_id).add(a.manufacturer_id));
    const orgs = await this.db.reads.query<{ id: string; name: string; credit_code: string }[]>(
      `SELECT id, name, credit_code FROM organisation WHERE id = ANY($1::uuid[])`, [[...orgIds]],
    );
    // the buyer of a round is the regulator of the region that owns it (catalog master data)
    const buyers = await this.db.reads.query<{ id: string; name: string; credit_code: string; region_code: string }[]>(
      `SELECT DISTINCT ON (o.region_code) o.id, o.name, o.credit_code, o.region_code FROM organisation o
        WHERE o.kind = 'REGULATOR' AND o.region_code = ANY($1::text[]) ORDER BY o.region_code, o.created_at, o.id`,
      [[...new Set(rows.map((r) => r.owner_region_code))]],
    );
    const buyerOf = async (regionCode: string): Promise<OcdsParty> => {
      const b = buyers.find((x) => x.region_code === regionCode);
      if (b) return { id: b.id, name: b.name, creditCode: b.credit_code };
      const [region] = await this.db.reads.query<{ name: string }[]>(`SELECT name FROM region WHERE code = $1`, [regionCode]);
      return { id: `region-${regionCode}`, name: region?.name ?? regionCode, creditCode: null };
    };
    const orgById = new Map(orgs.map((o) => [o.id, o]));
    const party = (id: string): OcdsParty => {
      const o = orgById.get(id);
      return { id, name: o?.name ?? id, creditCode: o?.credit_code ?? null };
    };
    // rows of each round, read once: the export may carry a year of paid lines
    const agreementById = new Map(agreements.map((a) => [a.agreement_id, a]));
    const agreementsByRound = groupBy(agreements, (a) => a.round_id);
    const paymentsByRound = groupBy(payments, (p) => agreementById.get(p.agreement_id)!.round_id);
    const rounds: OcdsRoundInput[] = [];
    for (const lines of byRound.values()) {
      const first = lines[0];
      const lots = new Map<string, OcdsLot>();
      for (const l of lines) {
        const lot = lots.get(l.lot_id) ?? {
          lotId: l.lot_id, varietyName: l.lot_name, referenceUnit: l.reference_unit, annualQuantity: BigInt(l.lot_agreed_quantity ?? '0'), cycleYears: l.cycle_years, specs: [],
        };
        if (!lot.specs.some((s) => s.specId === l.lot_spec_id)) {
          lot.specs.push({ specId: l.lot_spec_id, spec: l.spec, comparableFactor: l.comparable_factor, ceilingUnitPrice: l.ceiling_unit_price });
        }
        lots.set(l.lot_id, lot);
      }
      const roundAgreements = agreementsByRound.get(first.round_id) ?? [];
      rounds.push({
        roundId: first.round_id,
        title: first.round_name,
        state: first.round_state,
        buyer: await buyerOf(first.owner_region_code),
        publishedAt: first.round_published_at,
        demandDeadline: first.demand_deadline,
        bidDeadline: first.bid_deadline,
        cycleStart: first.round_cycle_start,
        openedAt: first.opened_at,
        // publicity runs publicity_days × 24 h from the moment the round was publicized
        publicityStartedAt: first.publicity_ends_at && first.publicity_days ? new Date(first.publicity_ends_at.getTime() - first.publicity_days * DAY_MS) : null,
        publicityEndsAt: first.publicity_ends_at,
        confirmedAt: first.confirmed_at,
        lots: [...lots.values()],
        bids: lines.map((b) => ({
          bidId: b.bid_id, lotId: b.lot_id, specId: b.lot_spec_id, tenderer: party(b.manufacturer_id), unitPrice: b.unit_price, status: b.bid_status,
          awardedUnitPrice: b.awarded_unit_price, annualQuantity: BigInt(b.agreed_quantity),
        })),
        contracts: roundAgreements.map((a) => ({
          contractId: a.agreement_id, awardId: a.bid_id, hospital: party(a.hospital_id), supplier: party(a.manufacturer_id), spec: a.spec,
          unitPrice: a.awarded_unit_price, quantity: BigInt(a.agreed_quantity), cycleStart: a.cycle_start, cycleEnd: a.cycle_end,
          signedAt: a.signed_at, terminatedAt: a.terminated_at, takesOverContractId: a.takes_over_agreement_id,
        })),
        // hospitals pay the winners directly: each paid payable line is a transaction of its agreement
        transactions: (paymentsByRound.get(first.round_id) ?? []).map((p) => ({
          transactionId: p.line_id, contractId: p.agreement_id, payer: party(agreementById.get(p.agreement_id)!.hospital_id), payee: party(p.manufacturer_id),
          amountFen: BigInt(p.amount_fen), date: p.paid_at,
        })),
      });
    }
    return releasePackage(rounds, {
      ocidPrefix: this.config.ocidPrefix,
      publisherName: '省级医药集中采购平台',
      packageUri: `urn:${this.config.ocidPrefix}:release-package:${this.clock.now().toISOString()}`,
      publishedDate: this.clock.now(),
      documentBaseUrl: `${this.config.publicBaseUrl}/public`,
    });
  }

  private async views(names: string[]): Promise<Record<string, boolean>> {
    const rows = await this.db.reads.query<{ name: string; present: boolean }[]>(
      `SELECT name, to_regclass(name) IS NOT NULL AS present FROM unnest($1::text[]) AS name`, [names],
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.present]));
  }

  private async hasColumn(view: string, column: string): Promise<boolean> {
    const [row] = await this.db.reads.query<unknown[]>(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`, [view, column],
    );
    return !!row;
  }
}
