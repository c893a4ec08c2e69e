import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES } from '../platform/auth/read-policy';

/**
 * A manufacturer appoints a distributor (配送企业) for a region and its subtree, for a period. Orders for
 * that manufacturer's products from hospitals in the region are routed to the distributor.
 */
@ReadPolicy({ roles: 'ANY', scope: { MANUFACTURER: ownBy('manufacturerId'), DISTRIBUTOR: ownBy('distributorId'), HOSPITAL: everyRow, ...forRoles(REGION_ROLES, everyRow) }, note: 'hospitals: who delivers to their region (the service filters by region)' })
@ObjectType('DistributorAppointment')
@Entity('distributor_appointment')
@Check(`ends_at IS NULL OR ends_at > starts_at`)
@Index(['manufacturerId', 'regionCode'])
export class DistributorAppointment {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  manufacturerId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  distributorId: string;

  @Field(() => String, { description: 'GB/T 2260 code; the appointment covers the region and its subtree' })
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => Date)
  @Column('timestamptz')
  startsAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  endsAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
