// Stored files (firmware images, uploaded logs): metadata only; the bytes are in FILES_DIR.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { storedFiles } from '../schema';

export type StoredFileRow = typeof storedFiles.$inferSelect;
export type NewStoredFile = typeof storedFiles.$inferInsert;

export async function insertStoredFile(db: Db, file: NewStoredFile): Promise<StoredFileRow> {
  const [row] = await db.insert(storedFiles).values(file).returning();
  return row!;
}

export async function findStoredFile(db: Db, id: string): Promise<StoredFileRow | undefined> {
  const [row] = await db.select().from(storedFiles).where(eq(storedFiles.id, id));
  return row;
}


export async function listStoredFiles(db: Db, kind: string, limit: number): Promise<StoredFileRow[]> {
  return db.select().from(storedFiles).where(eq(storedFiles.kind, kind)).orderBy(desc(storedFiles.createdAt)).limit(limit);
}

export async function deleteStoredFile(db: Db, id: string): Promise<StoredFileRow | undefined> {
  const [row] = await db.delete(storedFiles).where(eq(storedFiles.id, id)).returning();
  return row;
}
