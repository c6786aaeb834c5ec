// Validates OCPP payloads against the official 2.0.1 schemas, in both directions, and maps a
// failure to the RPC error code of SPEC-NOTES §1.7 (one table, used for every direction).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createRequire } from 'node:module';
import { loadOcppSchemas, type OcppSchema } from '../schema-source';
import { OcppError, type RpcErrorCode } from './errors';

const require = createRequire(import.meta.url);
const draft06 = require('ajv/dist/refs/json-schema-draft-06.json');

const KEYWORD_CODES: Record<string, RpcErrorCode> = {
  required: 'OccurrenceConstraintViolation',
  minItems: 'OccurrenceConstraintViolation',
  maxItems: 'OccurrenceConstraintViolation',
  additionalProperties: 'ProtocolError',
  type: 'TypeConstraintViolation',
  maxLength: 'TypeConstraintViolation',
  minLength: 'TypeConstraintViolation',
  enum: 'PropertyConstraintViolation',
  const: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  exclusiveMinimum: 'PropertyConstraintViolation',
  exclusiveMaximum: 'PropertyConstraintViolation',
  pattern: 'PropertyConstraintViolation',
  uniqueItems: 'PropertyConstraintViolation',
  format: 'FormatViolation',
};

/** OCPP `integer` is a 32-bit signed integer; decimals get a sanity bound that excludes Infinity. */
const INT32 = { minimum: -2147483648, maximum: 2147483647 };
const DECIMAL = { minimum: -1e15, maximum: 1e15 };

function withDatatypeBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withDatatypeBounds);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'enum' ? v : withDatatypeBounds(v);
  const bounds = out.type === 'integer' ? INT32 : out.type === 'number' ? DECIMAL : undefined;
  if (bounds) {
    if (out.minimum === undefined) out.minimum = bounds.minimum;
    if (out.maximum === undefined) out.maximum = bounds.maximum;
  }
  return out;
}

export function errorCodeFor(error: ErrorObject): RpcErrorCode {
  return KEYWORD_CODES[error.keyword] ?? 'FormatViolation';
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(payload)';
  if (error.keyword === 'additionalProperties') {
    return `${where}: property '${String(error.params.additionalProperty).slice(0, 64)}' is not allowed`;
  }
  return `${where} ${error.message ?? 'is invalid'}`;
}

/** NUL, or an unpaired UTF-16 surrogate (only a \uD800-style escape can carry one): PostgreSQL cannot store either. */
const unstorable = (text: string) => text.includes('\u0000') || !(text as string & { isWellFormed(): boolean }).isWellFormed();

// Loops, not Object.entries().some(): this walks every message, and those allocate per object.
function containsUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return unstorable(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (containsUnstorable(item)) return true;
    return false;
  }
  for (const key in value) {
    if (unstorable(key) || containsUnstorable((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

export type Direction = 'request' | 'response';


export class OcppValidator {
  private readonly validators = new Map<string, { request: ValidateFunction; response: ValidateFunction }>();

  constructor() {
    const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
    ajv.addMetaSchema(draft06);
    addFormats(ajv);
    const compile = (schema: OcppSchema) => ajv.compile(withDatatypeBounds(schema) as object);
    for (const { action, request, response } of loadOcppSchemas()) {
      this.validators.set(action, { request: compile(request), response: compile(response) });
    }
  }

  /** True for the 64 action names of OCPP 2.0.1 (case-sensitive, Part 4 §4.1.6). */
  knows(action: string): boolean {
    return this.validators.has(action);
  }

  /** Throws an OcppError carrying the RPC error code for the first violation found. */
  validate(action: string, direction: Direction, payload: unknown): void {
    const entry = this.validators.get(action);
    if (!entry) throw new OcppError('NotImplemented', `Unknown action '${action.slice(0, 64)}'`);
    const validate = entry[direction];
    if (!validate(payload)) {
      const [first] = validate.errors ?? [];
      if (!first) throw new OcppError('FormatViolation', 'Payload is invalid');
      throw new OcppError(errorCodeFor(first), describe(first), { keyword: first.keyword, path: first.instancePath });
    }
    if (containsUnstorable(payload)) {
      // SPEC-NOTES §1.7 "strings that cannot be stored"; unpaired surrogates found by fuzzing (issue 5 §5).
      throw new OcppError('PropertyConstraintViolation', 'Strings must not contain NUL characters or unpaired surrogates');
    }
  }
}
