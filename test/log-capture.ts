import { tmpdir } from 'os';
import { join } from 'path';

/**
 * Imported first by a test file: sends this file's app logs (at debug level) to a file of its own, so the
 * test can scan what the app logged. Must run before anything imports the logger.
 */
export const CAPTURED_LOG_FILE = join(tmpdir(), `vbp-e2e-log-${process.pid}-${Date.now()}.jsonl`);
process.env.LOG_FILE = CAPTURED_LOG_FILE;
process.env.LOG_LEVEL = 'debug';
