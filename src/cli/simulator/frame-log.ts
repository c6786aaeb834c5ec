// Frame text for logs, with passwords masked.
import { field, isObject, readArray } from './request-fields';

const MASK = '***';

/** SetVariables may carry a new SecurityCtrlr.BasicAuthPassword. */
function maskPasswordWrites(frame: unknown[]): unknown[] {
  if (frame[0] !== 2 || frame[2] !== 'SetVariables' || !isObject(frame[3])) return frame;
  const setVariableData = readArray(field(frame[3], 'setVariableData')).map((item) =>
    isObject(item) && field(item.variable, 'name') === 'BasicAuthPassword' ? { ...item, attributeValue: MASK } : item,
  );
  return [...frame.slice(0, 3), { ...frame[3], setVariableData }];
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function loggableFrame(text: string, secrets: Array<string | undefined>): string {
  const value = parse(text);
  let shown = Array.isArray(value) ? JSON.stringify(maskPasswordWrites(value)) : text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) shown = shown.split(secret).join(MASK);
  }
  return shown;
}
