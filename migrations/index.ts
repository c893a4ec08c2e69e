/**
 * Every migration in order. Migrations are listed explicitly (not globbed) so the app, jest and the CLI load
 * the same set; `npm run migration:generate -- Name` prints the line to add here. Never edit a landed one.
 */
import { Initial1795333311479 } from './1795333311479-Initial';
import { Settlement1795335788737 } from './1795335788737-Settlement';


export const ALL_MIGRATIONS: Function[] = [Initial1795333311479, Settlement1795335788737];
