/** Whose eyes a feed read or a webhook is for: the reading organisation, by kind, with its region. */
export interface FeedReader {
  kind: 'ALL' | 'REGION' | 'OWN';
  organisationId: string;
  regionPath: string;
}

/** From an organisation's kind: the platform reads all, regulators and settlement offices their region subtree, the rest their own events. */
export function readerOf(organisation: { id: string; kind: string; regionPath: string }): FeedReader {
  const kind = organisation.kind === 'PLATFORM' ? 'ALL' : organisation.kind === 'REGULATOR' || organisation.kind === 'SETTLEMENT_OFFICE' ? 'REGION' : 'OWN';
  return { kind, organisationId: organisation.id, regionPath: organisation.regionPath };
}

/**
 * The SQL predicate on business_event `e` for what a reader may see, with its parameters numbered from
 * `firstParam`. Public events (prices, rounds) are everyone's; the rest follow docs/change-feed.md.
 */
export function visibleSql(reader: FeedReader, firstParam: number): { sql: string; params: string[] } {
  if (reader.kind === 'ALL') return { sql: 'true', params: [] };
  if (reader.kind === 'REGION') {
    return {
      sql: `(e.is_public OR e.region_path = $${firstParam} OR e.region_path LIKE $${firstParam + 1})`,
      params: [reader.regionPath, `${reader.regionPath.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`],
    };
  }
  return { sql: `(e.is_public OR e.organisation_ids @> ARRAY[$${firstParam}::uuid])`, params: [reader.organisationId] };
}
