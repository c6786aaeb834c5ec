// An uploaded firmware image (POST /files) used by id: its station download URL and MD5 checksum.
import { findStoredFile } from '../../db/queries/files';
import { firmwareDownloadUrl } from '../../files/links';
import { isFileId } from '../../files/disk-store';
import type { Ctx } from '../context';
import { FirmwareInputError } from './status-history';

export interface FirmwareSource {
  location: string;
  fileId: string | null;
  /** MD5 of the image (hex) when it is a stored file. */
  md5: string | null;
}

/** Exactly one of `location` (any URL) and `fileId` (a stored firmware image). */
export async function firmwareSource(ctx: Ctx, input: { location?: string | undefined; fileId?: string | undefined }): Promise<FirmwareSource> {
  if ((input.location === undefined) === (input.fileId === undefined)) {
    throw new FirmwareInputError('give exactly one of location and fileId');
  }
  if (input.location !== undefined) return { location: input.location, fileId: null, md5: null };
  const file = isFileId(input.fileId!) ? await findStoredFile(ctx.db, input.fileId!) : undefined;
  if (!file || file.kind !== 'firmware' || !file.downloadToken) throw new FirmwareInputError(`no firmware file ${input.fileId}`);
  return { location: firmwareDownloadUrl(ctx.config, file.id, file.downloadToken), fileId: file.id, md5: file.md5 };
}
