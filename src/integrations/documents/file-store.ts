/** Documents in a folder (by default data/documents): one private file per document. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from '../../process/private-files';
import { parseDocumentKey, type DocumentStore } from './store';

export class FileDocumentStore implements DocumentStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private file(key: string): string {
    if (!parseDocumentKey(key)) throw new Error(`not a document key: ${JSON.stringify(key)}`);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, data: Buffer): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written aside and renamed, so a reader never sees half a document.
    const partial = `${file}.partial`;
    await fs.writeFile(partial, data, { mode: PRIVATE_FILE_MODE });
    await fs.rename(partial, file);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.file(key);
    await fs.rm(file, { force: true });
    // Folders left empty go too (best effort: another document may arrive meanwhile).
    for (
      let dir = path.dirname(file);
      dir.startsWith(this.root) && dir !== this.root;
      dir = path.dirname(dir)
    )
      if (
        !(await fs.rmdir(dir).then(
          () => true,
          () => false,
        ))
      )
        break;
  }

  async *list(prefix: string): AsyncIterable<string> {
    const walk = async function* (dir: string, parts: string[]): AsyncIterable<string> {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        if (entry.isDirectory()) yield* walk(path.join(dir, entry.name), [...parts, entry.name]);
        else if (!entry.name.endsWith('.partial')) {
          const key = [...parts, entry.name].join('/');
          if (key.startsWith(prefix) && parseDocumentKey(key)) yield key;
        }
      }
    };
    yield* walk(this.root, []);
  }
}
