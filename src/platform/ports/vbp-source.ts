import { stateEnum } from '../graphql/state-enum';

/**
 * Where a round's results, and so its agreements, come from: PROVINCIAL = the platform's own bidding;
 * NATIONAL and ALLIANCE = a national batch (国家组织集采) or an inter-provincial alliance (省际联盟) whose results a
 * regulator imported (importExternalAwards). Shared by tendering (rounds) and agreements.
 */
export const VBP_SOURCES = ['PROVINCIAL', 'NATIONAL', 'ALLIANCE'] as const;
export type VbpSource = (typeof VBP_SOURCES)[number];
export const VbpSourceEnum = stateEnum(VBP_SOURCES, 'VbpSource', 'PROVINCIAL: the platform’s own bidding; NATIONAL or ALLIANCE: imported results of a national batch or an alliance');
