// The URLs the CSMS hands out, all under PUBLIC_URL (set it to the https address when TLS is used).
import type { Config } from '../config';

/** What a station fetches (L01/L03): no API key, the per-file token is the credential. */
export const firmwareDownloadUrl = (config: Readonly<Config>, id: string, token: string) => `${config.publicUrl}/files/${id}/${token}`;

/** Operators download any stored file (firmware or an uploaded log) here with an API key (operator role). */
export const fileApiUrl = (config: Readonly<Config>, id: string) => `${config.publicUrl}/files/${id}`;

/** N01: the one-time URL a station uploads its log to (HTTP POST or PUT). */
export const logUploadUrl = (config: Readonly<Config>, token: string) => `${config.publicUrl}/uploads/${token}`;
