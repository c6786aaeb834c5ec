// Compiling the 128 schemas takes most of a second: do it once per process.
import { OcppValidator } from './validator';

let validator: OcppValidator | undefined;

export function sharedValidator(): OcppValidator {
  return (validator ??= new OcppValidator());
}
