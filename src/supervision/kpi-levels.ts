import { stateEnum } from '../platform/graphql/state-enum';

export const KPI_LEVELS = ['PROVINCE', 'CITY', 'HOSPITAL'] as const;
export type KpiLevel = (typeof KPI_LEVELS)[number];
export const KpiLevelEnum = stateEnum(KPI_LEVELS, 'KpiLevel', 'Province, prefecture city or hospital');
