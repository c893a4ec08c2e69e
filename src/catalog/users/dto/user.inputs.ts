import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ROLES } from '../../../platform/auth/roles';
import { User } from '../user.entity';

@InputType()
export class CreateUserInput {
  @Field(() => String, { description: '3–40 lower-case letters, digits, dot, dash or underscore' })
  @Matches(/^[a-z0-9._-]{3,40}$/, { message: 'must be 3–40 lower-case letters, digits, dot, dash or underscore' })
  username: string;

  @Field(() => String)
  @IsString()
  @Length(1, 50)
  displayName: string;

  @Field(() => String)
  @IsString()
  @Length(8, 200)
  password: string;

  @Field(() => String, { description: ROLES.join(', ') })
  @IsIn([...ROLES], { message: `must be one of ${ROLES.join(', ')}` })
  role: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'must be an organisation id' })
  organisationId: string;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: 'Send as "Authorization: Bearer <accessToken>"' })
  accessToken: string;

  @Field(() => Date)
  accessTokenExpiresAt: Date;

  @Field(() => String, { description: 'Use once with refreshAccessToken; each use returns a new one' })
  refreshToken: string;

  @Field(() => User)
  user: User;
}
