import type { Characteristics } from './device-model-types';

function withinLimits(n: number, c: Characteristics): boolean {
  return (c.minLimit === undefined || n >= c.minLimit) && (c.maxLimit === undefined || n <= c.maxLimit);
}

function listMembers(value: string): string[] {
  return value.split(',').map((m) => m.trim());
}

/** Whether a value written by the CSMS fits the variable's characteristics. */
export function isValidValue(value: string, c: Characteristics): boolean {
  const allowed = c.valuesList === undefined ? undefined : listMembers(c.valuesList);
  switch (c.dataType) {
    case 'integer':
      return /^-?\d+$/.test(value) && withinLimits(Number(value), c);
    case 'decimal':
      return value.trim() !== '' && Number.isFinite(Number(value)) && withinLimits(Number(value), c);
    case 'boolean':
      return value === 'true' || value === 'false';
    case 'dateTime':
      return !Number.isNaN(Date.parse(value));
    case 'OptionList':
      return allowed === undefined || allowed.includes(value);
    case 'MemberList':
    case 'SequenceList': {
      if (value === '') return c.dataType === 'MemberList';
      const members = listMembers(value);
      return allowed === undefined || members.every((m) => allowed.includes(m));
    }
    case 'string':
      return c.maxLimit === undefined || value.length <= c.maxLimit;
  }
}
