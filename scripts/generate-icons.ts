/**
 * Renders public/icon.svg into the PNG app icons and favicon.ico (PNG-in-ICO, read by every current browser)
 * with the system Chromium through Playwright, so no image tool is needed. Run after editing the SVG:
 *   npx tsx scripts/generate-icons.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

const publicDir = path.join(process.cwd(), 'public');
const svg = fs.readFileSync(path.join(publicDir, 'icon.svg'), 'utf8');
const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const page = await browser.newPage();

async function render(size: number): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

/** ICO container holding PNG images: 6-byte header, 16 bytes per entry, then the PNG data. */
function ico(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

fs.writeFileSync(path.join(publicDir, 'apple-touch-icon.png'), await render(180));
fs.writeFileSync(path.join(publicDir, 'icon-192.png'), await render(192));
fs.writeFileSync(path.join(publicDir, 'icon-512.png'), await render(512));
const small = await Promise.all([16, 32, 48].map(async (size) => ({ size, png: await render(size) })));
fs.writeFileSync(path.join(publicDir, 'favicon.ico'), ico(small));
await browser.close();
console.log('Wrote apple-touch-icon.png, icon-192.png, icon-512.png and favicon.ico in public/.');
