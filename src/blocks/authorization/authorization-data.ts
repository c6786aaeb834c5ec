// Authorization data as operators provide it (OCPP AuthorizationData + our expiry): checked against
// the OCPP 2.0.1 limits before it is stored, so every stored entry yields a schema-valid
// IdTokenInfoType in Authorize and TransactionEvent responses.
import type { NewIdToken } from '../../db/queries/id-tokens';

type Maybe<T> = T | null | undefined;

export interface IdTokenInput {
  idToken: string;
  type: string;
  additionalInfo?: Maybe<ReadonlyArray<{ additionalIdToken: string; type: string }>>;
}

export interface AuthorizationDataInput {
  idToken: IdTokenInput;
  idTokenInfo: {
    status: string;
    cacheExpiryDateTime?: Maybe<Date>;
    chargingPriority?: Maybe<number>;
    language1?: Maybe<string>;
    language2?: Maybe<string>;
    evseId?: Maybe<readonly number[]>;
    groupIdToken?: Maybe<IdTokenInput>;
    personalMessage?: Maybe<{ format: string; language?: Maybe<string>; content: string }>;
  };
  expiresAt?: Maybe<Date>;
}

export const MAX_BULK_ID_TOKENS = 10_000;

/** Input that breaks an OCPP limit; `path` names the field (e.g. `input[3].idToken.idToken`). */
export class AuthorizationDataError extends Error {}

const ID_TOKEN_TYPES = ['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress'];

function text(value: Maybe<string>, path: string, max: number, min = 0): string | null {
  if (value === null || value === undefined) return null;
  if (value.length < min || value.length > max) throw new AuthorizationDataError(`${path} must be ${min} to ${max} characters`);
  // PostgreSQL cannot store NUL; OCPP strings never carry it.
  if (value.includes('\u0000')) throw new AuthorizationDataError(`${path} must not contain NUL characters`);
  return value;
}

/** IdTokenType limits. NoAuthorization carries no value (IdTokenEnumType) and is never stored. */
export function checkIdToken(token: IdTokenInput, path: string): { idToken: string; type: string } {
  if (!ID_TOKEN_TYPES.includes(token.type)) {
    throw new AuthorizationDataError(`${path}.type must be one of ${ID_TOKEN_TYPES.join(', ')} (NoAuthorization needs no authorization data)`);
  }
  const idToken = text(token.idToken, `${path}.idToken`, 36, 1)!;
  if (idToken.trim() !== idToken) throw new AuthorizationDataError(`${path}.idToken must not start or end with white space`);
  return { idToken, type: token.type };
}

function additionalInfo(token: IdTokenInput, path: string) {
  if (!token.additionalInfo || token.additionalInfo.length === 0) return null; // minItems 1: absent instead
  if (token.additionalInfo.length > 100) throw new AuthorizationDataError(`${path}.additionalInfo holds at most 100 entries`);
  return token.additionalInfo.map((a, i) => ({
    additionalIdToken: text(a.additionalIdToken, `${path}.additionalInfo[${i}].additionalIdToken`, 36)!,
    type: text(a.type, `${path}.additionalInfo[${i}].type`, 50)!,
  }));
}

/** Checks one entry and turns it into a row. */
export function toIdTokenRow(input: AuthorizationDataInput, path = 'input'): NewIdToken {
  const { idToken, type } = checkIdToken(input.idToken, `${path}.idToken`);
  const info = input.idTokenInfo;
  const at = `${path}.idTokenInfo`;
  if (info.chargingPriority != null && (info.chargingPriority < -9 || info.chargingPriority > 9)) {
    throw new AuthorizationDataError(`${at}.chargingPriority must be between -9 and 9`);
  }
  if (info.evseId != null) {
    if (info.evseId.length === 0 || info.evseId.length > 100) throw new AuthorizationDataError(`${at}.evseId must hold 1 to 100 EVSE ids`);
    if (info.evseId.some((id) => id < 1)) throw new AuthorizationDataError(`${at}.evseId values must be at least 1`);
  }
  const group = info.groupIdToken ? checkIdToken(info.groupIdToken, `${at}.groupIdToken`) : null;
  const message = info.personalMessage
    ? {
        format: info.personalMessage.format,
        content: text(info.personalMessage.content, `${at}.personalMessage.content`, 512)!,
        ...(info.personalMessage.language != null && { language: text(info.personalMessage.language, `${at}.personalMessage.language`, 8, 1)! }),
      }
    : null;
  return {
    idToken,
    type,
    additionalInfo: additionalInfo(input.idToken, `${path}.idToken`),
    status: info.status,
    cacheExpiryDateTime: info.cacheExpiryDateTime ?? null,
    chargingPriority: info.chargingPriority ?? null,
    language1: text(info.language1, `${at}.language1`, 8, 1),
    language2: text(info.language2, `${at}.language2`, 8, 1),
    evseIds: info.evseId ? [...info.evseId] : null,
    groupIdToken: group?.idToken ?? null,
    groupIdTokenType: group?.type ?? null,
    personalMessage: message,
    expiresAt: input.expiresAt ?? null,
  };
}

/** A bulk import: every entry checked before anything is stored. */
export function toIdTokenRows(inputs: readonly AuthorizationDataInput[]): NewIdToken[] {
  if (inputs.length > MAX_BULK_ID_TOKENS) {
    throw new AuthorizationDataError(`at most ${MAX_BULK_ID_TOKENS} entries per call, got ${inputs.length}`);
  }
  return inputs.map((input, i) => toIdTokenRow(input, `input[${i}]`));
}
