import { DataSource } from 'typeorm';
import { currentRequestId } from '../../src/platform/context/request-scope';

/**
 * Counts the SQL statements one HTTP request sends through TypeORM: every query of a service, a query
 * builder, a repository or a DataLoader batch goes through a query runner, which reports each statement to
 * the data source's logger before running it. The wrapped `logQuery` counts those made inside the request
 * scope (src/platform/context/request-scope.ts) of the request id being measured, so work the app does in
 * the background meanwhile (the audit chainer, timers) is not counted. Nothing in the app changes.
 */
export class StatementCounter {
  private requestId: string | null = null;
  private readonly statements: string[] = [];

  constructor(dataSource: DataSource) {
    const logger = dataSource.logger;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, queryRunner) => {
      // a named prepared statement (src/platform/database/prepared-query.ts) arrives as { name, text }
      const text = typeof query === 'string' ? query : String((query as { text?: string }).text);
      if (this.requestId && currentRequestId() === this.requestId) this.statements.push(text);
      return original(query, parameters, queryRunner);
    };
  }

  /** The statements of the request sent by `work` with the header `x-request-id: requestId`. */
  async measure<T>(requestId: string, work: () => Promise<T>): Promise<{ result: T; statements: number; texts: string[] }> {
    this.statements.length = 0;
    this.requestId = requestId;
    try {
      const result = await work();
      return { result, statements: this.statements.length, texts: [...this.statements] };
    } finally {
      this.requestId = null;
    }
  }
}
