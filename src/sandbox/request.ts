import { parseCompactDate } from './data/dates';

/**
 * The gateway's checks of a request body, in the order the sandbox applies them. Each returns the
 * SYSCD code to answer, or undefined when the request passes.
 */

/** The device fields every call carries in `dataHeader`, with their S(n) lengths. */
export const DEVICE_FIELDS: ReadonlyArray<readonly [string, number]> = [
  ['UTZPE_CNCT_IPAD', 39],
  ['UTZPE_CNCT_MCHR_UNQ_ID', 100],
  ['UTZPE_CNCT_TEL_NO_TXT', 40],
  ['UTZPE_CNCT_MCHR_IDF_SRNO', 20],
  ['UTZ_MCHR_OS_DSCD', 1],
  ['UTZ_MCHR_OS_VER_NM', 20],
  ['UTZ_MCHR_MDL_NM', 20],
  ['UTZ_MCHR_APP_VER_NM', 20],
];

const SQL_INJECTION = [
  /'\s*(or|and)\s+('?\w+'?)\s*=\s*('?\w+'?)/i,
  /\bunion\s+(all\s+)?select\b/i,
  /;\s*--/,
  /\bdrop\s+(table|database)\b/i,
  /\b(insert\s+into|delete\s+from)\b/i,
  /'\s*;\s*(select|update|delete|insert|drop|exec)\b/i,
];

const CODE_INJECTION = [
  /<\s*script/i,
  /javascript\s*:/i,
  /\$\{/,
  /\beval\s*\(/i,
  /<\s*iframe/i,
  /\bon(error|load)\s*=/i,
];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface RequestBody {
  dataHeader: Record<string, Json>;
  dataBody: Record<string, Json>;
}

export function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Envelope, device fields and injection patterns: the checks common to the three operations. */
export function checkEnvelope(body: unknown): { code: string } | { request: RequestBody } {
  if (!isObject(body)) return { code: 'SYSCD02101' };
  const { dataHeader, dataBody } = body;
  if (dataHeader === undefined || dataHeader === null) return { code: 'SYSCD02001' };
  if (!isObject(dataHeader)) return { code: 'SYSCD02101' };
  if (dataBody !== undefined && dataBody !== null && !isObject(dataBody)) return { code: 'SYSCD02101' };
  for (const [field] of DEVICE_FIELDS) {
    if (dataHeader[field] === undefined || dataHeader[field] === null) return { code: 'SYSCD02001' };
  }
  for (const [field] of DEVICE_FIELDS) {
    if (typeof dataHeader[field] !== 'string') return { code: 'SYSCD02101' };
  }
  for (const [field, length] of DEVICE_FIELDS) {
    if ((dataHeader[field] as string).length > length) return { code: 'SYSCD01008' };
  }
  const request = { dataHeader, dataBody: isObject(dataBody) ? dataBody : {} };
  const strings: string[] = [];
  collectStrings(request.dataHeader, strings);
  collectStrings(request.dataBody, strings);
  if (strings.some((text) => SQL_INJECTION.some((pattern) => pattern.test(text))))
    return { code: 'SYSCD02103' };
  if (strings.some((text) => CODE_INJECTION.some((pattern) => pattern.test(text))))
    return { code: 'SYSCD02102' };
  return { request };
}

function collectStrings(value: Json, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (isObject(value)) for (const key of Object.keys(value)) collectStrings(value[key], out);
}

/** The validated inputs of an operation, as day numbers. */
export interface Inputs {
  accountNumber: string;
  dates: number[];
}

/**
 * INQ_ACNO and the named date fields: missing → 01000, not a string → 02101, not 10–15 digits or
 * not 8 digits → 01008, not a calendar date → 01006.
 */
export function checkInputs(
  dataBody: Record<string, Json>,
  dateFields: readonly string[],
): { code: string } | Inputs {
  const fields = ['INQ_ACNO', ...dateFields];
  for (const field of fields) {
    const value = dataBody[field];
    if (value === undefined || value === null || value === '') return { code: 'SYSCD01000' };
  }
  for (const field of fields) {
    if (typeof dataBody[field] !== 'string') return { code: 'SYSCD02101' };
  }
  const accountNumber = dataBody.INQ_ACNO as string;
  if (!/^\d{10,15}$/.test(accountNumber)) return { code: 'SYSCD01008' };
  for (const field of dateFields) {
    if (!/^\d{8}$/.test(dataBody[field] as string)) return { code: 'SYSCD01008' };
  }
  const dates: number[] = [];
  for (const field of dateFields) {
    const day = parseCompactDate(dataBody[field] as string);
    if (day === undefined) return { code: 'SYSCD01006' };
    dates.push(day);
  }
  return { accountNumber, dates };
}
