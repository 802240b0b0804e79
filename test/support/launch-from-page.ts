/** Launching a run the way a person does in the web UI: the launch page, its plan, then confirming. */
import type { Page } from 'playwright-core';

/** Fills the launch form at `url` with `select` and `partition`, reads the plan, confirms, and waits for the runs page; returns the assets planned. */
export async function launchFromPage(page: Page, url: string, select: string, partition: string): Promise<(string | null)[]> {
  await page.goto(`${url}launch`);
  await page.fill('input[name="select"]', select);
  await page.fill('input[name="partition"]', partition);
  await page.click('text=Show the plan');
  await page.waitForSelector('table.plan');
  const planned = await page.locator('table.plan tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-asset')));
  await page.click('button.confirm');
  await page.waitForURL(/\/runs$/);
  return planned;
}
