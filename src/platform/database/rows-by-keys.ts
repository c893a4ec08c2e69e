import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { preparedQuery } from './prepared-query';

interface PreparedRead {
  /** The prepared statement's name: numbered, so one name always means one text (at most 63 characters). */
  name: string;
  sql: string;
  columns: ColumnMetadata[];
}

const prepared = new WeakMap<DataSource, Map<string, PreparedRead>>();

/**
 * The rows of a flat entity (columns only, no relations) whose `property` is one of `keys`, in `order`: what
 * `find(Entity, { where: { property: In(keys) }, order })` returns, hydrated by the same driver rules and
 * column transformers, without building the query anew on every call. A request's DataLoaders read child
 * lists this way: TypeORM's query builder and result transformer were the largest share of a nested read's
 * CPU. The SQL is made once per entity, key and order, and runs as a named prepared statement.
 */
export async function rowsByKeys<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  property: keyof T & string,
  keys: readonly unknown[],
  order: readonly [keyof T & string, 'ASC' | 'DESC'][] = [],
): Promise<T[]> {
  const metadata = dataSource.getMetadata(target);
  let reads = prepared.get(dataSource);
  if (!reads) prepared.set(dataSource, (reads = new Map<string, PreparedRead>()));
  const key = `${metadata.tableName}:${property}:${order.map(([p, d]) => `${p}.${d}`).join(',')}`;
  let read = reads.get(key);
  if (!read) {
    if (metadata.relations.length || metadata.embeddeds.length) throw new Error(`rowsByKeys: ${metadata.name} has relations or embedded columns`);
    const column = (path: string) => {
      const found = metadata.findColumnWithPropertyPath(path);
      if (!found) throw new Error(`rowsByKeys: ${metadata.name} has no column ${path}`);
      return `t."${found.databaseName}"`;
    };
    const columns = metadata.columns.filter((c) => !c.isVirtual);
    const orderBy = order.length ? ` ORDER BY ${order.map(([p, direction]) => `${column(p)} ${direction}`).join(', ')}` : '';
    read = {
      name: `rows.${reads.size + 1}.${metadata.tableName}`.slice(0, 63),
      sql: `SELECT ${columns.map((c, i) => `t."${c.databaseName}" AS c${i}`).join(', ')} FROM "${metadata.tableName}" t WHERE ${column(property)} = ANY($1)${orderBy}`,
      columns,
    };
    reads.set(key, read);
  }
  const { sql, columns } = read;
  const rows = await preparedQuery(dataSource.manager, read.name, sql, [keys]);
  return rows.map((row) => {
    const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
    columns.forEach((c, i) => c.setEntityValue(entity, dataSource.driver.prepareHydratedValue(row[`c${i}`], c)));
    return entity;
  });
}
