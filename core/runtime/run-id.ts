/** Run ids that sort by start time: `20261124T120000123Z-1a2b3c`. */
import { randomBytes } from 'node:crypto';

export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replaceAll(/[-:.]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
