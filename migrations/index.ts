/**
 * Every migration in order. Migrations are listed explicitly (not globbed) so the app, jest and the CLI load
 * the same set; `npm run migration:generate -- Name` prints the line to add here. Never edit a landed one.
 */
import { Initial1795333311479 } from './1795333311479-Initial';
import { PaginationIndexes1795336158283 } from './1795336158283-PaginationIndexes';
import { Settlement1795336376601 } from './1795336376601-Settlement';

export const ALL_MIGRATIONS: Function[] = [Initial1795333311479, PaginationIndexes1795336158283, Settlement1795336376601];
