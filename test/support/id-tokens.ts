// Provisioning authorization data through the API (upsertIdTokens), for tests of block C and the
// driver role.
import { gqlData } from './graphql-client';

export interface TokenSpec {
  idToken: string;
  type?: string;
  status?: string;
  group?: string;
  expiresAt?: string;
  idTokenInfo?: Record<string, unknown>;
}

export const UPSERT_ID_TOKENS = `mutation ($input: [AuthorizationDataInput!]!) { upsertIdTokens(input: $input) { count inserted updated } }`;

export function authorizationData(spec: TokenSpec): Record<string, unknown> {
  return {
    idToken: { idToken: spec.idToken, type: spec.type ?? 'ISO14443' },
    idTokenInfo: {
      status: spec.status ?? 'Accepted',
      ...(spec.group !== undefined && { groupIdToken: { idToken: spec.group, type: 'Central' } }),
      ...spec.idTokenInfo,
    },
    ...(spec.expiresAt !== undefined && { expiresAt: spec.expiresAt }),
  };
}

export async function provisionIdTokens(server: { httpUrl: string; adminKey: string }, specs: TokenSpec[]) {
  const data = await gqlData(server.httpUrl, server.adminKey, UPSERT_ID_TOKENS, { input: specs.map(authorizationData) });
  return data.upsertIdTokens as { count: number; inserted: number; updated: number };
}
