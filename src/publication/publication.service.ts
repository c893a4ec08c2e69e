import { Inject, Injectable } from '@nestjs/common';
import { OcdsParty, OcdsRoundInput, releasePackage } from '@libs/supervision-rules';
import { Db } from '../platform/database/db';
import { Clock } from '../platform/clock/clock';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { AppError } from '../platform/errors/app-error';

/** Rounds whose results are public: from publicity (公示) on. Sealed or unopened rounds never leave the platform. */
const PUBLIC_ROUND_STATES = ['PUBLICIZED', 'CONFIRMED', 'IN_EFFECT', 'EXPIRED'];

/** One bid of an opened round, from tendering's v_round_result (with the columns publishing needs). */
interface RoundResultRow {
  round_id: string;
  round_name: string;
  round_state: string;
  owner_region_code: string;
  bid_deadline: Date | null;
  confirmed_at: Date | null;
  opened_at: Date | null;
  lot_id: string;
  lot_name: string;
  reference_unit: string;
  lot_agreed_quantity: string | null;
  /** The lot's maximum valid price per reference unit: the highest of its specs' ceilings ÷ comparable factor. */
  lot_ceiling: string | null;
  bid_id: string;
  manufacturer_id: string;
  bid_status: string;
  /** The awarded (or bid) price per reference unit, so award value = price × the reference-unit quantity. */
  award_unit_price: string;
  agreed_quantity: string;
}

/** The columns of v_volume_agreement the export reads. */
interface AgreementViewRow {
  agreement_id: string;
  round_id: string;
  bid_id: string;
  hospital_id: string;
  awarded_unit_price: string;
  agreed_quantity: string;
  cycle_start: Date;
  cycle_end: Date;
  state: string;
}

interface PaidLineRow {
  line_id: string;
  agreement_id: string;
  manufacturer_id: string;
  amount_fen: string;
  paid_at: Date;
}

/** Bids that carry volume: winners and bids revived at the revival price (domain §4). */
const AWARDED_BID_STATUSES = ['WINNER', 'REVIVED'];

/**
 * Public read models. The OCDS export gathers a round from the published views — v_round_result (tendering),
 * v_volume_agreement (agreements), v_payable_line (settlement; paid lines become implementation
 * transactions) — and maps it with the pure functions of libs/supervision-rules.
 */
@Injectable()
export class PublicationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ocdsPackage(roundIds: string[] | null): Promise<string> {
    if (roundIds && (roundIds.length > 50 || roundIds.some((id) => !/^[0-9a-f-]{36}$/i.test(id)))) {
      throw new AppError('VALIDATION_FAILED', 'Up to 50 round ids (UUIDs)', { field: 'roundIds' });
    }
    const present = await this.views(['v_round_result', 'v_volume_agreement', 'v_payable_line']);
    if (!present.v_round_result) throw new AppError('NOT_AVAILABLE', 'Round results are not published on this platform yet');
    const rows: RoundResultRow[] = await this.db.manager.query(
      `SELECT round_id, round_name, round_state, owner_region_code, bid_deadline, confirmed_at, opened_at,
              lot_id, lot_name, reference_unit, lot_agreed_quantity::text AS lot_agreed_quantity,
              (MAX(round(ceiling_unit_price / comparable_factor, 4)) OVER (PARTITION BY lot_id))::text AS lot_ceiling,
              bid_id, manufacturer_id, bid_status,
              round(COALESCE(awarded_unit_price, unit_price) / comparable_factor, 4)::text AS award_unit_price,
              agreed_quantity::text AS agreed_quantity
         FROM v_round_result WHERE round_state = ANY($1::text[]) AND ($2::uuid[] IS NULL OR round_id = ANY($2::uuid[]))
        ORDER BY round_id, lot_id, bid_id`,
      [PUBLIC_ROUND_STATES, roundIds],
    );
    const byRound = new Map<string, RoundResultRow[]>();
    for (const r of rows) byRound.set(r.round_id, [...(byRound.get(r.round_id) ?? []), r]);
    const ids = [...byRound.keys()];
    const agreements = present.v_volume_agreement && ids.length
      ? await this.db.manager.query<AgreementViewRow[]>(`SELECT * FROM v_volume_agreement WHERE round_id = ANY($1::uuid[]) ORDER BY agreement_id`, [ids])
      : [];
    const payments = present.v_payable_line && agreements.length && (await this.hasColumn('v_payable_line', 'agreement_id'))
      ? await this.db.manager.query<PaidLineRow[]>(
          `SELECT line_id, agreement_id, manufacturer_id, amount_fen::text AS amount_fen, paid_at FROM v_payable_line
            WHERE paid_at IS NOT NULL AND agreement_id = ANY($1::uuid[]) ORDER BY paid_at, line_id`,
          [agreements.map((a) => a.agreement_id)],
        )
      : [];
    const orgIds = new Set<string>();
    rows.forEach((r) => orgIds.add(r.manufacturer_id));
    agreements.forEach((a) => orgIds.add(a.hospital_id));
    const orgs = await this.db.manager.query<{ id: string; name: string; credit_code: string }[]>(
      `SELECT id, name, credit_code FROM organisation WHERE id = ANY($1::uuid[])`, [[...orgIds]],
    );
    // the buyer of a round is the regulator of the region that owns it (catalog master data)
    const buyers = await this.db.manager.query<{ id: string; name: string; credit_code: string; region_code: string }[]>(
      `SELECT DISTINCT ON (o.region_code) o.id, o.name, o.credit_code, o.region_code FROM organisation o
        WHERE o.kind = 'REGULATOR' AND o.region_code = ANY($1::text[]) ORDER BY o.region_code, o.created_at, o.id`,
      [[...new Set(rows.map((r) => r.owner_region_code))]],
    );
    const buyerOf = async (regionCode: string): Promise<OcdsParty> => {
      const b = buyers.find((x) => x.region_code === regionCode);
      if (b) return { id: b.id, name: b.name, creditCode: b.credit_code };
      const [region] = await this.db.manager.query<{ name: string }[]>(`SELECT name FROM region WHERE code = $1`, [regionCode]);
      return { id: `region-${regionCode}`, name: region?.name ?? regionCode, creditCode: null };
    };
    const party = (id: string): OcdsParty => {
      const o = orgs.find((x) => x.id === id);
      return { id, name: o?.name ?? id, creditCode: o?.credit_code ?? null };
    };
    const rounds: OcdsRoundInput[] = [];
    for (const lines of byRound.values()) {
      const first = lines[0];
      const lots = new Map(lines.map((l) => [l.lot_id, {
        lotId: l.lot_id, varietyName: l.lot_name, referenceUnit: l.reference_unit, quantity: BigInt(l.lot_agreed_quantity ?? '0'), maxUnitPrice: l.lot_ceiling,
      }]));
      const won = lines.filter((l) => AWARDED_BID_STATUSES.includes(l.bid_status));
      const awardDate = first.confirmed_at ?? first.opened_at ?? this.clock.now();
      const roundAgreements = agreements.filter((a) => a.round_id === first.round_id);
      const agreementIds = new Set(roundAgreements.map((a) => a.agreement_id));
      const buyer = await buyerOf(first.owner_region_code);
      rounds.push({
        roundId: first.round_id,
        code: first.round_id,
        title: first.round_name,
        state: first.round_state,
        buyer,
        bidDeadline: first.bid_deadline,
        publishedAt: this.clock.now(),
        lots: [...lots.values()],
        tenderers: [...new Set(lines.map((l) => l.manufacturer_id))].map(party),
        awards: won.map((w) => ({
          awardId: w.bid_id, lotId: w.lot_id, supplier: party(w.manufacturer_id), unitPrice: w.award_unit_price,
          quantity: BigInt(w.agreed_quantity), date: awardDate,
        })),
        contracts: roundAgreements
          .filter((a) => won.some((w) => w.bid_id === a.bid_id))
          .map((a) => ({
            contractId: a.agreement_id, awardId: a.bid_id, hospital: party(a.hospital_id), unitPrice: a.awarded_unit_price,
            quantity: BigInt(a.agreed_quantity), cycleStart: a.cycle_start, cycleEnd: a.cycle_end, state: a.state,
          })),
        // hospitals pay the winners directly: each paid payable line is a transaction of its agreement
        transactions: payments
          .filter((p) => agreementIds.has(p.agreement_id))
          .map((p) => {
            const agreement = roundAgreements.find((a) => a.agreement_id === p.agreement_id)!;
            return { transactionId: p.line_id, contractId: p.agreement_id, payer: party(agreement.hospital_id), payee: party(p.manufacturer_id), amountFen: BigInt(p.amount_fen), date: p.paid_at };
          }),
      });
    }
    const pkg = releasePackage(rounds, {
      ocidPrefix: this.config.ocidPrefix,
      publisherName: '省级医药集中采购平台',
      packageUri: `urn:${this.config.ocidPrefix}:release-package:${this.clock.now().toISOString()}`,
      publishedDate: this.clock.now(),
    });
    return JSON.stringify(pkg);
  }

  private async views(names: string[]): Promise<Record<string, boolean>> {
    const rows = await this.db.manager.query<{ name: string; present: boolean }[]>(
      `SELECT name, to_regclass(name) IS NOT NULL AS present FROM unnest($1::text[]) AS name`, [names],
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.present]));
  }

  private async hasColumn(view: string, column: string): Promise<boolean> {
    const [row] = await this.db.manager.query<unknown[]>(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`, [view, column],
    );
    return !!row;
  }
}
