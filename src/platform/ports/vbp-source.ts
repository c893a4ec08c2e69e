import { stateEnum } from '../graphql/state-enum';

/**
 * Where a round's results, and so its agreements, come from: PROVINCIAL = the platform's own bidding;
 * NATIONAL and ALLIANCE = a national batch (国家组织集采) or an inter-provincial alliance (省际联盟) whose results a
 * regulator imported (importExternalAwards). Shared by tendering (rounds) and agreements.
 */
export const VBP_SOURCES = ['PROVINCIAL', 'NATIONAL', 'ALLIANCE'] as const;
export type VbpSource = (typeof VBP_SOURCES)[number];
export const VbpSourceEnum = stateEnum(VBP_SOURCES, 'VbpSource', 'PROVINCIAL: the platform’s own bidding; NATIONAL or ALLIANCE: imported results of a national batch or an alliance');

/**
 * Where a demand baseline figure (last year's purchases of a variety by a hospital) comes from: PLATFORM = the
 * platform's own accepted receipts; IMPORTED = an imported file, kept only where the platform has none. Shared by
 * tendering (demand_baseline, published as v_demand_baseline) and settlement (retained savings).
 */
export const BASELINE_SOURCES = ['PLATFORM', 'IMPORTED'] as const;
export type BaselineSource = (typeof BASELINE_SOURCES)[number];
export const BaselineSourceEnum = stateEnum(BASELINE_SOURCES, 'BaselineSource', 'PLATFORM: from the platform’s own accepted receipts; IMPORTED: from an imported file (only where the platform has no receipts)');
