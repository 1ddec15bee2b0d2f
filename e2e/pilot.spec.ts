/**
 * A researcher pilots a new draft study with simulated participants on the offline demo model, from the setup
 * page: the pilot page shows progress until every simulated participant finished, per-arm counts and outcomes,
 * and a pilot conversation; the study's own results, transcripts and monitor still show no participants.
 */
import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './support/auth';

const run = Date.now();
const slug = `pilot-${run}`;

test('a researcher runs a pilot on the demo model from the setup page; results still show no participants', async ({ page }) => {
  test.setTimeout(240_000);
  await signInAsAdmin(page);
  await page.goto('/studies/new');
  await page.getByLabel('Name', { exact: true }).fill(`Pilot study ${run}`);
  await page.getByLabel('Link name (slug)').fill(slug);
  await page.getByRole('button', { name: 'Create study' }).click();
  await expect(page).toHaveURL(/\/setup$/);

  const form = page.getByRole('form', { name: 'Pilot with simulated participants' });
  await expect(form).toBeVisible();
  await expect(form).toContainText('the saved draft setup');
  // A bad number is refused with a clear message before anything is started.
  await form.getByLabel('Participants per arm').fill('0');
  await form.getByRole('button', { name: 'Run pilot' }).click();
  await expect(form.getByRole('alert')).toContainText('Participants per arm must be a whole number from 1 to 50');

  await form.getByLabel('Participants per arm').fill('1');
  await expect(form).toContainText('2 simulated participants (1 per arm × 2 arms).');
  await expect(form.getByLabel('Simulated participants')).toHaveValue('');
  await form.getByLabel('Seed').fill(`seed-${run}`);
  // Keyboard: the submit button is reachable and works from the keyboard.
  await form.getByRole('button', { name: 'Run pilot' }).focus();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/pilots\/[0-9a-f-]{36}$/, { timeout: 15_000 });
  const pilotUrl = page.url();
  const progress = page.getByRole('progressbar', { name: 'Pilot progress' });
  await expect(progress).toBeVisible();
  await expect(page.getByTestId('pilot-counts')).toContainText('2 of 2 simulated participants finished (100%)', { timeout: 180_000 });
  await expect(progress).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByText('completed', { exact: true }).first()).toBeVisible();

  const arms = page.getByTestId('pilot-arms');
  await expect(arms.getByRole('row', { name: /Baseline/ })).toContainText('1');
  const armRows = arms.locator('tbody tr');
  await expect(armRows).toHaveCount(2);
  for (const row of await armRows.all()) await expect(row.locator('td').nth(2)).toHaveText('1');

  const outcomes = page.getByTestId('pilot-outcomes');
  await expect(outcomes.getByRole('row', { name: /Document quality/ })).toContainText('(n=1)');
  await expect(outcomes.getByRole('row', { name: /Turns/ })).toContainText('(n=1)');
  await expect(page.getByRole('figure', { name: 'Simulated ratings per arm' })).toBeVisible();

  await page.getByRole('link', { name: 'Participant 1' }).click();
  await expect(page.getByRole('heading', { name: /Simulated participant/ })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Simulated participant' }).first()).toBeVisible();
  await expect(page.getByRole('article', { name: 'Assistant' }).first()).toContainText(/\S/);
  await expect(page.getByRole('heading', { name: 'Survey answers' })).toBeVisible();

  const tabs = page.getByRole('navigation', { name: 'Study sections' });
  await tabs.getByRole('link', { name: 'Pilots' }).click();
  await expect(page.getByRole('table', { name: 'Pilots' }).getByText('completed')).toBeVisible();

  // The study's own pages never see pilot participants.
  await tabs.getByRole('link', { name: 'Results' }).click();
  await expect(page.getByText('No randomized participants yet.', { exact: true })).toBeVisible();
  await tabs.getByRole('link', { name: 'Transcripts' }).click();
  await expect(page.getByText('No participants yet.')).toBeVisible();
  await tabs.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('main')).not.toContainText('pilot:');

  // On a phone the pilot's sections fit the screen: wide tables scroll inside their own box.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(pilotUrl);
  await expect(page.getByTestId('pilot-outcomes')).toBeVisible();
  await expect(page.locator('main section.card')).toHaveCount(5);
  const widest = await page.evaluate(() => Math.max(...[...document.querySelectorAll('main section.card')].map((e) => e.getBoundingClientRect().right)));
  expect(widest).toBeLessThanOrEqual(390);
  // …and so does the staff top bar (it wraps), so the page itself never scrolls sideways.
  const topBarRight = await page.locator('header.topbar').evaluate((e) => Math.max(...[...e.querySelectorAll('*')].map((c) => c.getBoundingClientRect().right)));
  expect(topBarRight).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
