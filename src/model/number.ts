// DynamoDB numbers: decimal strings with up to 38 significant digits, magnitude 1E-130 … <1E+126.
// Parsed into sign/digits/exponent so they can be normalised, compared, sized and key-encoded exactly.

/** DynamoDB: "Numbers can have up to 38 digits of precision". */
export const numberDigitsMax = 38;
/** Largest magnitude 9.9999999999999999999999999999999999999E+125: scientific exponent ≤ 125. */
export const numberExponentMax = 125;
/** Smallest positive magnitude 1E-130: scientific exponent ≥ -130. */
export const numberExponentMin = -130;

/** value = sign × 0.d1d2…dn × 10^exponent; digits has no leading or trailing zeros; zero has digits ''. */
export interface DecimalNumber {
  readonly negative: boolean;
  readonly digits: string;
  readonly exponent: number;
}

export type NumberProblem = 'syntax' | 'overflow' | 'underflow' | 'precision';

const numberPattern = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses a DynamoDB number string; returns the problem instead of throwing. */
export function parseNumber(text: string): DecimalNumber | NumberProblem {
  const match = numberPattern.exec(text);
  if (match === null) return 'syntax';
  const sign = match[1] ?? '';
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (whole === '' && fraction === '') return 'syntax';
  const exponentText = match[4];
  // Exponents beyond this cannot land in range whatever the digits; avoid huge number parsing.
  if (exponentText !== undefined && exponentText.replace(/^[+-]?0*/, '').length > 6) {
    const allZero = /^0*$/.test(whole + fraction);
    if (allZero) return zero;
    return exponentText.startsWith('-') ? 'underflow' : 'overflow';
  }
  const explicitExponent = exponentText === undefined ? 0 : Number(exponentText);
  let all = whole + fraction;
  let pointAt = whole.length; // digits before the decimal point
  const leading = all.length - all.replace(/^0+/, '').length;
  all = all.slice(leading);
  pointAt -= leading;
  all = all.replace(/0+$/, '');
  if (all === '') return zero;
  const exponent = pointAt + explicitExponent;
  // scientific exponent = exponent - 1
  if (exponent - 1 > numberExponentMax) return 'overflow';
  if (exponent - 1 < numberExponentMin) return 'underflow';
  if (all.length > numberDigitsMax) return 'precision';
  return { negative: sign === '-', digits: all, exponent };
}

const zero: DecimalNumber = { negative: false, digits: '', exponent: 0 };

/** Plain (non-scientific) decimal text, as DynamoDB returns numbers: "01.50" → "1.5", "1E+2" → "100". */
export function formatNumber(n: DecimalNumber): string {
  if (n.digits === '') return '0';
  const sign = n.negative ? '-' : '';
  const { digits, exponent } = n;
  if (exponent <= 0) return `${sign}0.${'0'.repeat(-exponent)}${digits}`;
  if (exponent >= digits.length) return sign + digits + '0'.repeat(exponent - digits.length);
  return `${sign}${digits.slice(0, exponent)}.${digits.slice(exponent)}`;
}

/** Numeric comparison: negative, zero or positive like Array.sort comparators. */
export function compareNumbers(a: DecimalNumber, b: DecimalNumber): number {
  const signA = a.digits === '' ? 0 : a.negative ? -1 : 1;
  const signB = b.digits === '' ? 0 : b.negative ? -1 : 1;
  if (signA !== signB) return signA - signB;
  if (signA === 0) return 0;
  const magnitude = compareMagnitudes(a, b);
  if (magnitude === 0) return 0;
  return signA > 0 ? magnitude : -magnitude;
}

function compareMagnitudes(a: DecimalNumber, b: DecimalNumber): number {
  if (a.exponent !== b.exponent) return a.exponent - b.exponent;
  if (a.digits === b.digits) return 0;
  return a.digits < b.digits ? -1 : 1; // same exponent: digit strings compare lexicographically
}

/**
 * Storage size DynamoDB charges for a number: one byte per two significant digits (aligned on the
 * decimal exponent, as DynamoDB stores base-100 digits), one more byte, and one for a negative sign.
 * An even digit count that starts on an even scientific exponent needs one more base-100 digit
 * ("1.2" → 3 bytes, "12" → 2 bytes); pinned by src/model/item-size.test.ts.
 */
export function numberSizeBytes(n: DecimalNumber): number {
  if (n.digits === '') return 1;
  const count = n.digits.length;
  const scientific = n.exponent - 1;
  const extra = count % 2 === 0 && scientific % 2 === 0 ? 1 : 0;
  return 1 + Math.ceil(count / 2) + extra + (n.negative ? 1 : 0);
}

/** value = mantissa × 10^scale, with an integer mantissa: exact arithmetic on BigInt. */
function toScaled(n: DecimalNumber): { mantissa: bigint; scale: number } {
  if (n.digits === '') return { mantissa: 0n, scale: 0 };
  const mantissa = BigInt(n.digits) * (n.negative ? -1n : 1n);
  return { mantissa, scale: n.exponent - n.digits.length };
}

function fromScaled(mantissa: bigint, scale: number): DecimalNumber {
  if (mantissa === 0n) return { negative: false, digits: '', exponent: 0 };
  const negative = mantissa < 0n;
  let digits = (negative ? -mantissa : mantissa).toString();
  const length = digits.length;
  digits = digits.replace(/0+$/, '');
  return { negative, digits, exponent: scale + length };
}

/** Exact a + b (or a − b). The caller checks the result against DynamoDB's range and precision. */
export function addNumbers(a: DecimalNumber, b: DecimalNumber, subtract = false): DecimalNumber {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.min(x.scale, y.scale);
  const xm = x.mantissa * 10n ** BigInt(x.scale - scale);
  const ym = y.mantissa * 10n ** BigInt(y.scale - scale);
  return fromScaled(subtract ? xm - ym : xm + ym, scale);
}

/** The problem DynamoDB reports for a computed number, if any. */
export function numberProblem(n: DecimalNumber): NumberProblem | undefined {
  if (n.digits === '') return undefined;
  // A result's digits are checked before its magnitude, as DynamoDB checks them.
  if (n.digits.length > numberDigitsMax) return 'precision';
  if (n.exponent - 1 > numberExponentMax) return 'overflow';
  if (n.exponent - 1 < numberExponentMin) return 'underflow';
  return undefined;
}
