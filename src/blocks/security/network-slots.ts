// A05/B09 helpers: the station's NetworkConfigurationPriority list and the CSMS URL a new
// network connection profile points to.

/** "1,2" → [1, 2]; entries that are not slot numbers are ignored. */
export function parsePriority(value: string | undefined): number[] {
  if (!value) return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => /^\d+$/.test(v))
    .map(Number);
}

/**
 * A slot not in `used`: the first free one the station lists as possible (the variable's
 * valuesList), otherwise the smallest free number from 1.
 */
export function pickFreeSlot(used: readonly number[], possible: readonly string[] | undefined): number | undefined {
  const listed = parsePriority(possible?.join(','));
  if (listed.length > 0) return listed.find((slot) => !used.includes(slot));
  let slot = 1;
  while (used.includes(slot)) slot++;
  return slot;
}

/** The new slot first, then the old ones in their order (A05 step 2). */
export function priorityWith(slot: number, used: readonly number[]): string {
  return [slot, ...used.filter((s) => s !== slot)].join(',');
}

/** PUBLIC_TLS_URL (https://host:port) → the OCPP base URL stations append their identity to. */
export function csmsOcppUrl(publicTlsUrl: string, ocppPath = '/ocpp'): string {
  const base = publicTlsUrl.replace(/\/+$/, '').replace(/^https:/i, 'wss:').replace(/^http:/i, 'ws:');
  return base.endsWith(ocppPath) ? base : `${base}${ocppPath}`;
}
