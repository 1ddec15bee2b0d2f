/**
 * Before launch, in a real browser: the recruitment links (copying the Prolific link through the
 * real clipboard), previewing the draft in a chosen arm and restarting the preview, and the launch
 * confirmation with its pre-launch checklist.
 */
import { expect, test } from '@playwright/test';
import { and, eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { closeE2eDb, e2eDb } from './participant-helpers';
import { signInAsAdmin } from './support/auth';

const run = Date.now();
const slug = `preview-launch-${run}`;

test.describe.configure({ mode: 'serial' });
test.afterAll(closeE2eDb);

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('a new draft shows recruitment links; the Prolific link copies with its placeholders', async ({ page, baseURL }) => {
  await signInAsAdmin(page);
  await page.goto('/studies/new');
  await page.getByLabel('Name', { exact: true }).fill(`Preview study ${run}`);
  await page.getByLabel('Link name (slug)').fill(slug);
  await page.getByRole('button', { name: 'Create study' }).click();
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Overview' }).click();

  const links = page.getByRole('region', { name: 'Recruitment links' });
  const prolific = `${baseURL}/s/${slug}?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}`;
  await expect(links.getByRole('textbox', { name: 'Prolific study URL', exact: true })).toHaveValue(prolific);
  await expect(links.getByRole('textbox', { name: 'MTurk ExternalURL', exact: true })).toHaveValue(`${baseURL}/s/${slug}`);
  await expect(links.getByRole('textbox', { name: 'Completion code', exact: true })).toHaveValue('COMPLETE1');
  await expect(links.getByRole('textbox', { name: 'Prolific completion URL', exact: true })).toHaveValue('https://app.prolific.com/submissions/complete?cc=COMPLETE1');
  await links.getByRole('button', { name: 'Copy Prolific study URL' }).click();
  await expect(links.getByRole('button', { name: 'Copy Prolific study URL' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(prolific);
});

test('unsaved setup edits ask before an in-app link leaves the Setup tab', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/studies');
  await page.getByRole('link', { name: `Preview study ${run}` }).click();
  const tabs = page.getByRole('navigation', { name: 'Study sections' });
  await tabs.getByRole('link', { name: 'Setup' }).click();
  await expect(page).toHaveURL(/\/setup$/);
  const title = page.getByLabel('Title shown to participants');
  await title.fill('An unsaved title');

  // Cancelling the question keeps the page and the edit.
  // (A dialog listener must answer the dialog itself: the click does not return while the dialog is open.)
  const asked: { type: string; message: string }[] = [];
  page.once('dialog', (d) => {
    asked.push({ type: d.type(), message: d.message() });
    void d.dismiss();
  });
  await tabs.getByRole('link', { name: 'Results' }).click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]!.type).toBe('confirm');
  expect(asked[0]!.message).toContain('unsaved changes');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(title).toHaveValue('An unsaved title');

  // Confirming leaves without saving.
  page.once('dialog', (d) => void d.accept());
  await tabs.getByRole('link', { name: 'Results' }).click();
  await expect(page).toHaveURL(/\/results$/);
  await tabs.getByRole('link', { name: 'Setup' }).click();
  await expect(page.getByLabel('Title shown to participants')).not.toHaveValue('An unsaved title');
});

test('the draft is previewed in the chosen arm, uncounted, and the preview restarts', async ({ page, context }) => {
  const db = e2eDb();
  await signInAsAdmin(page);
  await page.goto('/studies');
  await page.getByRole('link', { name: `Preview study ${run}` }).click();
  const panel = page.getByRole('region', { name: 'Preview as a participant' });
  await panel.getByLabel('Arm').selectOption({ label: 'Collaborative' });
  await expect(panel.getByRole('link', { name: 'Open preview' })).toHaveAttribute('href', `/s/${slug}?preview=draft&arm=collabllm`);
  const [preview] = await Promise.all([context.waitForEvent('page'), panel.getByRole('link', { name: 'Open preview' }).click()]);

  await expect(preview.getByText('Researcher preview of the unpublished draft, arm "collabllm": this session is not counted.')).toBeVisible();
  await preview.getByRole('button', { name: 'I agree to take part' }).click();
  await expect(preview.getByRole('heading', { name: 'Instructions' })).toBeVisible();

  const [study] = await db.select().from(schema.studies).where(eq(schema.studies.slug, slug));
  const previews = () => db.select().from(schema.participants).where(and(eq(schema.participants.studyId, study!.id), eq(schema.participants.isPreview, true)));
  const [first] = await previews();
  expect(first).toMatchObject({ armKey: 'collabllm', previewArmKey: 'collabllm', source: 'preview' });
  const [assignment] = await db.select().from(schema.assignments).where(eq(schema.assignments.participantId, first!.id));
  expect(assignment!.sequence).toBe(0);
  // Still a draft with no version: the preview used a snapshot of the draft.
  expect(study!.currentVersionId).toBeNull();

  await preview.getByRole('link', { name: 'Restart preview' }).click();
  await expect(preview.getByRole('button', { name: 'I agree to take part' })).toBeVisible();
  await expect.poll(async () => (await previews()).length).toBe(2);
  await expect(preview).not.toHaveURL(/restart=/);
  // A reload resumes the new session rather than starting a third one.
  await preview.reload();
  await expect(preview.getByRole('button', { name: 'I agree to take part' })).toBeVisible();
  expect((await previews()).length).toBe(2);
});

test('launch asks for confirmation and shows the pre-launch checklist', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/studies');
  await page.getByRole('link', { name: `Preview study ${run}` }).click();
  await page.getByRole('button', { name: 'Launch study…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Before you launch' });
  const checklist = dialog.getByRole('list', { name: 'Launch checklist' });
  await expect(checklist.getByRole('listitem')).toHaveCount(3);
  await expect(checklist).toContainText('Every arm (Baseline, Collaborative) still use the offline demo model');
  await expect(checklist).toContainText('"COMPLETE1"');
  await expect(checklist).toContainText("The consent text is still the template's");
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Launch study…' }).click();
  await page.getByRole('dialog', { name: 'Before you launch' }).getByRole('button', { name: 'Launch anyway' }).click();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();
  await expect(page.getByText('Version 1', { exact: true })).toBeVisible();
});
