/**
 * The yardstick peer: a plain NestJS 11 + Apollo (Express) GraphQL server over `pg`, with nothing of the
 * platform in it — no auth, no read policies, no audit, no TypeORM — so its figures say what the framework
 * itself costs per request on this machine. Three operations:
 * - `ping`: a constant;
 * - `account(id)`: one row by primary key;
 * - `transfer(idemKey, debit, credit, amountFen)`: one transaction that locks both accounts in id order,
 *   records the transfer once per idempotency key (a retry returns the first, `replayed: true`), moves the
 *   balance and writes two ledger entries.
 *
 *   PEER_DATABASE_URL=postgres://… PEER_POOL=8 PORT=0 node scripts/run-ts.js bench/peer/main.ts
 *
 * Prints `peer ready at http://127.0.0.1:<port>/graphql` once it listens. The tables come from PEER_SCHEMA
 * (bench/peer/peer.ts creates them).
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Args, Field, GraphQLModule, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.PEER_DATABASE_URL, max: Number(process.env.PEER_POOL ?? 8) });

@ObjectType()
class PeerAccount {
  @Field(() => Int) id: number;
  /** fen as a decimal string: bigint never passes through a JS number */
  @Field(() => String) balanceFen: string;
}

@ObjectType()
class PeerTransfer {
  @Field(() => ID) id: string;
  @Field(() => Boolean) replayed: boolean;
}

@Resolver()
class PeerResolver {
  @Query(() => String)
  ping(): string {
    return 'pong';
  }

  @Query(() => PeerAccount, { nullable: true })
  async account(@Args('id', { type: () => Int }) id: number): Promise<PeerAccount | null> {
    const { rows } = await pool.query<{ id: number; balance_fen: string }>('SELECT id, balance_fen FROM peer_account WHERE id = $1', [id]);
    return rows[0] ? { id: rows[0].id, balanceFen: rows[0].balance_fen } : null;
  }

  @Mutation(() => PeerTransfer)
  async transfer(
    @Args('idemKey', { type: () => String }) idemKey: string,
    @Args('debit', { type: () => Int }) debit: number,
    @Args('credit', { type: () => Int }) credit: number,
    @Args('amountFen', { type: () => String }) amountFen: string,
  ): Promise<PeerTransfer> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT id FROM peer_account WHERE id IN ($1, $2) ORDER BY id FOR UPDATE', [debit, credit]);
      const inserted = await client.query<{ id: string }>(
        'INSERT INTO peer_transfer (idem_key, debit, credit, amount_fen) VALUES ($1, $2, $3, $4) ON CONFLICT (idem_key) DO NOTHING RETURNING id',
        [idemKey, debit, credit, amountFen],
      );
      if (!inserted.rows.length) {
        await client.query('ROLLBACK');
        const first = await client.query<{ id: string }>('SELECT id FROM peer_transfer WHERE idem_key = $1', [idemKey]);
        return { id: first.rows[0].id, replayed: true };
      }
      const transferId = inserted.rows[0].id;
      await client.query('UPDATE peer_account SET balance_fen = balance_fen + CASE WHEN id = $1 THEN -$3::bigint ELSE $3::bigint END WHERE id IN ($1, $2)', [debit, credit, amountFen]);
      await client.query('INSERT INTO peer_entry (transfer_id, account_id, delta_fen) VALUES ($1, $2, -$4::bigint), ($1, $3, $4::bigint)', [transferId, debit, credit, amountFen]);
      await client.query('COMMIT');
      return { id: transferId, replayed: false };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

@Module({
  imports: [GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true, playground: false, introspection: false })],
  providers: [PeerResolver],
})
class PeerModule {}

async function main() {
  const app = await NestFactory.create(PeerModule, { logger: ['error'] });
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`peer ready at http://127.0.0.1:${address.port}/graphql\n`);
  const stop = () => void app.close().then(() => pool.end()).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
