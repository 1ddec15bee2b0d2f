/**
 * The researcher path end to end: an admin adds a researcher and a viewer; the researcher creates a
 * study with two arms, launches it, edits the draft and publishes version 2; the viewer cannot edit.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { signIn, signInAsAdmin } from './support/auth';

const run = Date.now();
const researcher = { email: `researcher-${run}@e2e.test`, password: 'researcher-password-1' };
const viewer = { email: `viewer-${run}@e2e.test`, password: 'viewer-password-1' };
const studyName = `Blog study ${run}`;
const studySlug = `blog-study-${run}`;

async function addUser(page: Page, user: { email: string; password: string }, role: string) {
  await page.goto('/admin/users');
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Email').fill(user.email);
  await form.getByLabel('Role').selectOption({ label: role });
  await form.getByLabel('Initial password').fill(user.password);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('status')).toContainText(`Added ${user.email}`);
  await expect(page.getByRole('row', { name: new RegExp(user.email) })).toContainText(role);
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test.describe.configure({ mode: 'serial' });

test('admin adds a researcher and a viewer', async ({ page }) => {
  await signInAsAdmin(page);
  await addUser(page, researcher, 'Researcher');
  await addUser(page, viewer, 'Viewer');
  // The only admin cannot demote or disable themself.
  const adminRow = page.getByRole('row', { name: /admin@e2e\.test/ });
  await expect(adminRow.getByRole('combobox')).toBeDisabled();
  await expect(adminRow.getByRole('button', { name: /Disable/ })).toBeDisabled();
});

test('researcher creates a two-arm study, launches it, then edits and publishes version 2', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, researcher.email, researcher.password);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await page.getByRole('link', { name: 'New study' }).click();
  await page.getByLabel('Name', { exact: true }).fill(studyName);
  await expect(page.getByLabel('Link name (slug)')).toHaveValue(studySlug);
  await page.getByRole('button', { name: 'Create study' }).click();
  await expect(page).toHaveURL(/\/studies\/[0-9a-f-]{36}\/setup$/);
  await expect(page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Setup' })).toHaveAttribute('aria-current', 'page');

  // Two arms from the template; make the second one distinctive and add a system prompt.
  const arm1 = page.getByRole('group', { name: 'Arm 1' });
  const arm2 = page.getByRole('group', { name: 'Arm 2' });
  await expect(arm1.getByLabel('Key')).toHaveValue('baseline');
  await arm2.getByLabel('Key').fill('collab');
  await arm2.getByLabel('Model', { exact: true }).selectOption('collabllm');
  await arm2.getByLabel('System prompt').fill('Ask clarifying questions before writing.');
  await arm2.getByLabel('Weight').fill('2');

  // Validation: a broken field blocks saving and is named in the summary.
  await arm1.getByLabel('Key').fill('Bad Key!');
  await page.getByRole('button', { name: 'Save setup' }).click();
  const summary = page.locator('#setup-error-summary');
  await expect(summary).toContainText('Arm 1 · Key');
  await expect(arm1.getByText('use lowercase letters, digits, - and _')).toBeVisible();
  await arm1.getByLabel('Key').fill('baseline');
  await page.getByRole('button', { name: 'Save setup' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Overview' }).click();
  await page.getByRole('button', { name: 'Launch study…' }).click();
  await page.getByRole('dialog', { name: 'Before you launch' }).getByRole('button', { name: /^Launch (anyway|now)$/ }).click();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();
  await expect(page.getByText('Version 1', { exact: true })).toBeVisible();
  await page.getByLabel('Setup', { exact: true }).selectOption({ label: 'Published version' });
  await expect(page.getByRole('link', { name: 'Open preview' })).toHaveAttribute('href', `/s/${studySlug}?preview=1`);

  // Edit the draft of the running study: participants keep version 1 until we publish.
  await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Setup' }).click();
  await expect(page.getByText('Saving changes the draft only')).toBeVisible();
  await page.getByLabel('Minimum turns').fill('6');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  const publish = page.getByRole('form', { name: 'Publish new version' });
  await publish.getByRole('button', { name: 'Publish new version' }).click();
  await expect(publish.getByText('Say what changed, for the record.')).toBeVisible();
  await publish.getByLabel('What changed?').fill('Six turns minimum');
  await publish.getByRole('button', { name: 'Publish new version' }).click();
  await expect(page.getByText('Version 2', { exact: true })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Publish new version' })).toHaveCount(0);

  await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Overview' }).click();
  const versions = page.getByRole('table');
  await expect(versions.getByRole('row', { name: /Six turns minimum/ })).toContainText(researcher.email);
  await expect(versions.getByRole('row')).toHaveCount(3);

  await page.getByRole('link', { name: '← Studies' }).click();
  await expect(page.getByRole('row', { name: new RegExp(studyName) })).toContainText('Running');
  await page.context().close();
});

test('a viewer can look at the study but not change it', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, viewer.email, viewer.password);
  await expect(page.getByRole('link', { name: 'New study' })).toHaveCount(0);
  await page.getByRole('link', { name: studyName }).click();
  await expect(page.getByText('researchers and admins can change it')).toBeVisible();
  await expect(page.getByRole('button', { name: /Pause recruitment|Launch study/ })).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Setup' }).click();
  await expect(page.getByText('Your role can view the setup but not change it.')).toBeVisible();
  await expect(page.getByLabel('Minimum turns')).toBeDisabled();
  await expect(page.getByRole('button', { name: /Save/ })).toHaveCount(0);
  // The API refuses the change too.
  const studyId = page.url().split('/studies/')[1]!.split('/')[0]!;
  const res = await page.request.post('/api/trpc/studies.setStatus', {
    data: { json: { studyId, status: 'paused' } },
  });
  expect(res.status()).toBe(403);
  await page.goto('/admin/users');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await page.context().close();
});

test('the admin sees launches and version publishes in the audit log', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/admin');
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Audit log' }).click();
  const published = page.getByRole('row', { name: /study\.version_published/ }).filter({ hasText: 'Six turns minimum' });
  await expect(published).toContainText(researcher.email);
  await expect(page.getByRole('row', { name: /study\.launched/ }).filter({ hasText: researcher.email }).first()).toBeVisible();
  await expect(page.getByRole('row', { name: /user\.created/ }).filter({ hasText: viewer.email })).toBeVisible();
});
