/** A folder of Markdown files on disk, for `rapport kb import` and `rapport kb export`. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../core/errors.js';
import { IMPORT_LIMITS, type KbFile } from './import-export.js';

/** Every .md file under `dir` (no hidden folders, no symbolic links followed), with its path relative to `dir`. */
export async function readMarkdownFolder(dir: string): Promise<KbFile[]> {
  const root = path.resolve(dir);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat?.isDirectory()) throw new AppError('not_found', `${dir} is not a folder.`);
  const files: KbFile[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && /\.md$/i.test(entry.name)) {
        if (files.length >= IMPORT_LIMITS.files) throw new AppError('invalid_article', `An import takes at most ${IMPORT_LIMITS.files} files; split the folder.`);
        files.push({ path: path.relative(root, full).split(path.sep).join('/'), content: await fs.readFile(full, 'utf8') });
      }
    }
  };
  await walk(root);
  return files;
}

/** Writes files under `dir`, making folders as needed; paths come from slugs, and none may leave `dir`. */
export async function writeMarkdownFolder(dir: string, files: KbFile[]): Promise<void> {
  const root = path.resolve(dir);
  for (const f of files) {
    const full = path.resolve(root, f.path);
    if (!full.startsWith(root + path.sep)) throw new Error(`refusing to write ${f.path} outside ${dir}`);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, f.content);
  }
}
