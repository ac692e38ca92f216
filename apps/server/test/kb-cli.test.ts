/** `rapport kb import|export`: a folder of Markdown into a workspace and back, as an operator runs it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from './databases.js';
import { run, tempDataDir } from './process-harness.js';

describe('rapport kb', () => {
  it('imports a folder, reports a bad file, re-imports without duplicates, and exports the same layout', async () => {
    const db = await freshDatabaseUrl();
    const env = { RAPPORT_DATA_DIR: tempDataDir(), DATABASE_URL: db.url, RAPPORT_SEED_DEMO: 'false' };
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-kb-'));
    try {
      expect((await run(['create-admin', '--email', 'ops@example.com', '--password', 'a long password', '--workspace', 'Docs'], env)).code).toBe(0);
      fs.mkdirSync(path.join(folder, 'billing'));
      fs.writeFileSync(path.join(folder, 'billing', 'refunds.en.md'), '---\nid: refunds\ntitle: Refunds\nstatus: published\ncategory: Billing\nsection: Payments\n---\nWe refund within 14 days.\n');
      fs.writeFileSync(path.join(folder, 'billing', 'refunds.de.md'), '---\nid: refunds\ntitle: Rückerstattungen\nstatus: published\n---\nWir erstatten innerhalb von 14 Tagen.\n');
      fs.writeFileSync(path.join(folder, 'broken.md'), 'no front matter\n');

      const first = await run(['kb', 'import', folder, '--workspace', 'Docs'], env);
      expect(first.stdout).toContain('Imported 3 file(s) into "Docs": 1 created, 1 updated, 0 unchanged, 1 failed.');
      expect(first.stderr).toContain('broken.md has no front matter');
      expect(first.code).toBe(1);

      fs.rmSync(path.join(folder, 'broken.md'));
      const again = await run(['kb', 'import', folder, '--workspace', 'Docs'], env);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('0 created, 0 updated, 2 unchanged, 0 failed');

      const out = path.join(folder, 'export');
      const exported = await run(['kb', 'export', out], env);
      expect(exported.code, exported.stderr).toBe(0);
      expect(fs.readdirSync(path.join(out, 'billing', 'payments')).sort()).toEqual(['refunds.de.md', 'refunds.en.md']);
      expect(fs.readFileSync(path.join(out, 'billing', 'payments', 'refunds.en.md'), 'utf8')).toContain('id: refunds\ntitle: Refunds\nlocale: en\nstatus: published');

      const usage = await run(['kb', 'import', folder], env);
      expect(usage.code).toBe(1);
      expect(usage.stderr).toContain('--workspace is required');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
      await db.drop();
    }
  }, 120_000);
});
