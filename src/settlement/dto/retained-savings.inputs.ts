import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsUUID, Max, Min } from 'class-validator';
import { RetainedSavingsAccrual } from '../retained-savings.entity';

@InputType()
export class AccrueRetainedSavingsInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a round id' })
  roundId: string;

  @Field(() => Int, { description: 'Agreement year of the round’s cycle, from 1 (the first year starts with the cycle)' })
  @IsInt()
  @Min(1)
  @Max(20)
  agreementYear: number;
}

@ObjectType()
export class AccrueRetainedSavingsResult {
  @Field(() => [RetainedSavingsAccrual], { description: 'Accrued by this call (none when the year was accrued already)' })
  accrued: RetainedSavingsAccrual[];

  @Field(() => Int, { description: 'Hospitals whose year was accrued before (left as they were)' })
  alreadyAccrued: number;

  @Field(() => [ID], { description: 'Hospitals without a score for the round: not accrued until a regulator scores them' })
  unscoredHospitalIds: string[];
}
