/**
 * The researcher area end to end: participants complete a two-arm study through the real participant flow,
 * then a signed-in researcher sees the right n and means on the dashboard, watches the monitor, opens a
 * transcript, and downloads an export that contains exactly what the participants entered.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { sha256 } from '../server/lib/secret';
import { closeE2eDb, consentAndSetup, e2eDb, finishChat, rate, sendAndAwaitReply, assistantMessages } from './participant-helpers';
import { signInAsAdmin } from './support/auth';
import { parseCsv } from '../server/exports/testing/parse-csv';

test.afterAll(closeE2eDb);

interface Entry {
  pid: string;
  messages: [string, string];
  rating: number;
  quality: number;
  interaction: number;
}

async function completeStudy(page: Page, slug: string, entry: Entry) {
  await page.route('https://app.prolific.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Prolific</h1>' }));
  await page.goto(`/s/${slug}?PROLIFIC_PID=${entry.pid}&STUDY_ID=s1&SESSION_ID=${entry.pid}-session`);
  await consentAndSetup(page);
  await sendAndAwaitReply(page, entry.messages[0], 1);
  await assistantMessages(page).first().getByRole('button', { name: 'Use this in my document' }).click();
  await sendAndAwaitReply(page, entry.messages[1], 2);
  await rate(page, entry.rating);
  await page.getByRole('textbox', { name: 'Your document' }).fill(`Final document of ${entry.pid}`);
  await expect(page.getByText('All changes saved')).toBeVisible();
  await finishChat(page);
  await expect(page.getByRole('heading', { name: 'Final questions' })).toBeVisible();
  await page.getByRole('group', { name: 'How good is your final document?' }).getByRole('radio', { name: `${entry.quality} out of 10` }).check();
  await page
    .getByRole('group', { name: 'How would you rate the interaction with the assistant overall?' })
    .getByRole('radio', { name: `${entry.interaction} out of 10` })
    .click();
  await page.getByLabel('What did the assistant do well?').fill(`Strengths written by ${entry.pid}.`);
  await page.getByLabel('What could the assistant have done better?').fill(`Weaknesses written by ${entry.pid}.`);
  await page.getByRole('radio', { name: 'I cannot tell' }).check();
  await page.getByRole('radio', { name: 'Somewhat agree' }).check();
  await page.getByRole('radio', { name: 'Blue', exact: true }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you! You have completed the study.' })).toBeVisible();
}

/** The starter template's arm labels, as the dashboard shows them. */
const armLabels: Record<string, string> = { baseline: 'Baseline', collabllm: 'Collaborative' };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const shown = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });

test('participants complete a two-arm study; the dashboard, transcripts and export show exactly what they entered', async ({ browser, page, request }) => {
  test.setTimeout(300_000);
  const db = e2eDb();
  // The researcher sets the study up in the UI: the starter template's two arms (baseline and collaborative, both on
  // the offline demo model), shortened to 2 turns with a rating every 2 so the participants below finish quickly.
  await signInAsAdmin(page);
  await page.goto('/studies/new');
  await page.getByLabel('Name', { exact: true }).fill(`Results e2e ${Date.now()}`);
  const slug = await page.getByLabel('Link name (slug)').inputValue();
  await page.getByRole('button', { name: 'Create study' }).click();
  await expect(page).toHaveURL(/\/studies\/[0-9a-f-]{36}\/setup$/);
  const studyId = page.url().split('/studies/')[1]!.split('/')[0]!;
  await expect(page.getByRole('group', { name: 'Arm 2' }).getByLabel('Key')).toHaveValue('collabllm');
  await page.getByLabel('Minimum turns').fill('2');
  await page.getByLabel('Rating every N turns').fill('2');
  await page.getByRole('button', { name: 'Save setup' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Overview' }).click();
  await page.getByRole('button', { name: 'Launch study…' }).click();
  await page.getByRole('dialog', { name: 'Before you launch' }).getByRole('button', { name: /^Launch (anyway|now)$/ }).click();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();

  const run = Date.now();
  const entries: Entry[] = [
    { pid: `r-a-${run}`, messages: ['Blog post about "night trains", please.', 'Add the sleeper cabins, and keep it short'], rating: 6, quality: 7, interaction: 5 },
    { pid: `r-b-${run}`, messages: ['I need a story about a lighthouse keeper.', 'Make the ending hopeful'], rating: 8, quality: 9, interaction: 8 },
    { pid: `r-c-${run}`, messages: ['Help me with a personal statement, naïve café ✓', 'Mention my volunteering'], rating: 4, quality: 6, interaction: 4 },
    { pid: `r-d-${run}`, messages: ['Write about learning to cook, with commas, "quotes"', 'Less formal please'], rating: 9, quality: 10, interaction: 9 },
  ];
  for (const entry of entries) {
    const context = await browser.newContext();
    await completeStudy(await context.newPage(), slug, entry);
    await context.close();
  }
  const people = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
  const armOf = new Map(people.map((p) => [p.externalId!, p.armKey!]));
  const arms = ['baseline', 'collabllm'].filter((a) => entries.some((e) => armOf.get(e.pid) === a));

  await page.goto(`/studies/${studyId}/results`);
  await expect(page.getByRole('heading', { name: 'Results', exact: true })).toBeVisible();
  for (const population of ['Intention-to-treat', 'Completers']) {
    await page.getByRole('radio', { name: population }).check();
    for (const arm of arms) {
      const mine = entries.filter((e) => armOf.get(e.pid) === arm);
      await expect(page.getByTestId(`n-documentQuality-${arm}`)).toHaveText(String(mine.length));
      await expect(page.getByTestId(`mean-documentQuality-${arm}`)).toHaveText(shown(mean(mine.map((e) => e.quality))));
      await expect(page.getByTestId(`mean-overallInteraction-${arm}`)).toHaveText(shown(mean(mine.map((e) => e.interaction))));
      await expect(page.getByTestId(`mean-meanRating-${arm}`)).toHaveText(shown(mean(mine.map((e) => e.rating))));
      await expect(page.getByTestId(`mean-turns-${arm}`)).toHaveText(shown(2));
    }
  }
  await expect(page.getByText(`Randomized ${entries.length}`)).toBeVisible();
  for (const arm of arms) {
    const n = entries.filter((e) => armOf.get(e.pid) === arm).length;
    await expect(page.getByRole('table', { name: 'Flow per arm' }).getByRole('row', { name: new RegExp(`^${armLabels[arm]} ${n} ${n} 0 0 0 0 ${n} ${n}$`) })).toBeVisible();
  }
  await expect(page.getByRole('figure', { name: 'Periodic rating by turn per arm' })).toBeVisible();

  await page.goto(`/studies/${studyId}/monitor`);
  await expect(page.getByRole('table', { name: 'Participants per arm' })).toBeVisible();
  await expect(page.getByText('Nobody is taking the study right now.')).toBeVisible();

  await page.goto(`/studies/${studyId}/transcripts`);
  await page.getByLabel('Search messages').fill('lighthouse');
  await expect(page.getByRole('table', { name: 'Participants' }).getByRole('link')).toHaveText([entries[1]!.pid]);
  await page.getByRole('link', { name: entries[1]!.pid }).click();
  await expect(page.getByText(entries[1]!.messages[0])).toBeVisible();
  await expect(page.getByLabel(`Rating after turn 2`)).toContainText(`${entries[1]!.rating}`);

  await page.goto(`/studies/${studyId}/export`);
  await expect(page.getByText(`${entries.length} participants`)).toBeVisible();
  // The consent promises anonymised data (the template's default), so ids are pseudonymous unless an admin asks.
  await page.getByLabel('Export the raw Prolific/MTurk ids instead (admins only)').check();
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download zip' }).click();
  const download = await downloadPromise;
  const file = path.join(os.tmpdir(), `researcher-e2e-${run}.zip`);
  await download.saveAs(file);
  const read = (name: string) => execFileSync('unzip', ['-p', file, `${slug}/${name}`], { encoding: 'utf8' });

  const participantsCsv = parseCsv(read('participants.csv'));
  expect(participantsCsv.map((p) => p.external_id).sort()).toEqual(entries.map((e) => e.pid).sort());
  const idOf = new Map(participantsCsv.map((p) => [p.participant_id, p.external_id]));
  const surveys = parseCsv(read('surveys.csv'));
  for (const e of entries) {
    const s = surveys.find((row) => idOf.get(row.participant_id!) === e.pid)!;
    expect(s).toMatchObject({ document_quality: String(e.quality), overall_interaction: String(e.interaction), strengths: `Strengths written by ${e.pid}.` });
    expect(s.final_document).toBe(`Final document of ${e.pid}`);
  }
  const ratings = parseCsv(read('ratings.csv'));
  expect(ratings.map((r) => [idOf.get(r.participant_id!), r.after_turn, r.value]).sort()).toEqual(entries.map((e) => [e.pid, '2', String(e.rating)]).sort());
  const messages = read('messages.jsonl')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { participant_id: string; role: string; content: string; seq: number });
  for (const e of entries) {
    const own = messages.filter((m) => idOf.get(m.participant_id) === e.pid && m.role === 'user').sort((a, b) => a.seq - b.seq);
    expect(own.map((m) => m.content)).toEqual(e.messages);
  }
  const chats = read('conversations.chat.jsonl').trim().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[]; arm_key: string; participant_id: string });
  expect(chats).toHaveLength(entries.length);
  for (const chat of chats) expect(chat.arm_key).toBe(armOf.get(idOf.get(chat.participant_id)!));
  const manifest = JSON.parse(read('manifest.json')) as { demoModelUsed: boolean; studyVersions: number[] };
  expect(manifest).toMatchObject({ demoModelUsed: true, studyVersions: [1] });
  const codebook = read('codebook.md');
  for (const column of Object.keys(participantsCsv[0]!)) expect(codebook).toContain(`\`${column}\``);
  // Never a prompt-adjacent secret or key: the arms' system prompts are study config, the keys do not exist in the zip.
  expect(execFileSync('unzip', ['-p', file], { encoding: 'utf8', maxBuffer: 64 << 20 })).not.toMatch(/apiKey|api_key_encrypted/i);
  fs.rmSync(file, { force: true });

  // The same export with a personal API token (the curl path), and JSON errors without one.
  const [admin] = await db.select().from(schema.users).where(eq(schema.users.role, 'admin'));
  const token = `cst_${crypto.randomBytes(24).toString('base64url')}`;
  await db.insert(schema.apiTokens).values({ userId: admin!.id, name: 'e2e', tokenHash: sha256(token), prefix: token.slice(0, 8) });
  const anonymous = await request.get(`/api/studies/${studyId}/export`);
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  const viaToken = await request.get(`/api/studies/${studyId}/export?formats=jsonl&hashIds=1`, { headers: { authorization: `Bearer ${token}` } });
  expect(viaToken.status()).toBe(200);
  const tokenFile = path.join(os.tmpdir(), `researcher-e2e-token-${run}.zip`);
  fs.writeFileSync(tokenFile, await viaToken.body());
  const hashed = execFileSync('unzip', ['-p', tokenFile, `${slug}/participants.jsonl`], { encoding: 'utf8' });
  fs.rmSync(tokenFile, { force: true });
  const hashedIds = hashed.trim().split('\n').map((l) => (JSON.parse(l) as { external_id: string }).external_id);
  expect(hashedIds).toHaveLength(entries.length);
  for (const e of entries) expect(hashedIds).not.toContain(e.pid);
});
