import type { BoundaryValue, Constraint, TimeUnit } from './types.ts';
import { SECONDS_PER, SMALLER_TIME_UNIT, isMoney } from './units.ts';

/** Boundary values of numeric constraints, and quantities written with their unit. */

function decimalsOf(value: number): number {
  const text = String(value);
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };

// One formatter each, made on first use and kept: `toLocaleString` builds a new one on every call,
// and the first Intl.NumberFormat of a process is dear (V8 builds ICU's list of locales then: about
// 110M instructions under valgrind, a tenth of an offline generation), so a story without amounts
// makes none.
let wholeAmount: Intl.NumberFormat | undefined;
let moneyAmount: Intl.NumberFormat | undefined;

function formatAmount(value: number, unit: string | undefined): string {
  if (unit === 'JPY') {
    wholeAmount ??= new Intl.NumberFormat('en-US');
    return wholeAmount.format(Math.round(value));
  }
  moneyAmount ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return moneyAmount.format(value);
}

/** A value with its unit in words: `7 characters`, `1 character`, `$500.01`, `10%`. */
export function formatQuantity(value: number, unit: string | undefined): string {
  if (unit === '%') return `${value}%`;
  if (isMoney(unit)) {
    const amount = formatAmount(value, unit);
    const symbol = CURRENCY_SYMBOLS[unit!];
    return symbol ? `${symbol}${amount}` : `${amount} ${unit}`;
  }
  if (!unit) return String(value);
  const singular = value === 1 && /[^s]s$/.test(unit) ? unit.slice(0, -1) : unit;
  return `${value} ${singular}`;
}

function stepFor(values: number[], unit: string | undefined): number {
  if (isMoney(unit) && unit !== 'JPY') return 0.01;
  const decimals = Math.max(...values.map(decimalsOf));
  return decimals === 0 ? 1 : 10 ** -decimals;
}

function round(value: number, step: number): number {
  const decimals = decimalsOf(step);
  return Number(value.toFixed(decimals));
}

/**
 * The classic boundary values of a numeric constraint (min-1, min, min+1, max-1, max, max+1 as they
 * apply), each with whether it is accepted. Values below zero are left out; a one-unit duration is
 * expressed in the next smaller unit (`1 hour` → 59, 60 and 61 minutes). Non-numeric constraints
 * (roles, enumerations, required fields, formats, amounts) have none.
 *
 * @example
 * boundaryValuesFor({ kind: 'range', min: 8, max: 64, unit: 'characters', minInclusive: true, maxInclusive: true, … })
 * // 7 ✗, 8 ✓, 9 ✓, 63 ✓, 64 ✓, 65 ✗
 */
export function boundaryValuesFor(constraint: Constraint): BoundaryValue[] {
  const values: BoundaryValue[] = [];
  const add = (value: number, valid: boolean, position: string, unit: string | undefined, step: number) => {
    const rounded = round(value, step);
    if (rounded < 0) return;
    if (values.some((existing) => existing.value === rounded)) return;
    values.push({
      value: rounded,
      ...(unit ? { unit } : {}),
      valid,
      label: formatQuantity(rounded, unit),
      position,
    });
  };
  switch (constraint.kind) {
    case 'range': {
      const step = constraint.step ?? stepFor([constraint.min, constraint.max], constraint.unit);
      add(constraint.min - step, false, 'min-1', constraint.unit, step);
      add(constraint.min, constraint.minInclusive, 'min', constraint.unit, step);
      add(constraint.min + step, true, 'min+1', constraint.unit, step);
      add(constraint.max - step, true, 'max-1', constraint.unit, step);
      add(constraint.max, constraint.maxInclusive, 'max', constraint.unit, step);
      add(constraint.max + step, false, 'max+1', constraint.unit, step);
      break;
    }
    case 'limit': {
      const step = constraint.step ?? stepFor([constraint.value], constraint.unit);
      if (constraint.bound === 'max') {
        add(constraint.value - step, true, 'max-1', constraint.unit, step);
        add(constraint.value, constraint.inclusive, 'max', constraint.unit, step);
        add(constraint.value + step, false, 'max+1', constraint.unit, step);
      } else {
        add(constraint.value - step, false, 'min-1', constraint.unit, step);
        add(constraint.value, constraint.inclusive, 'min', constraint.unit, step);
        add(constraint.value + step, true, 'min+1', constraint.unit, step);
      }
      break;
    }
    case 'count': {
      const step = stepFor([constraint.value], constraint.unit);
      add(constraint.value - step, false, 'value-1', constraint.unit, step);
      add(constraint.value, true, 'value', constraint.unit, step);
      add(constraint.value + step, false, 'value+1', constraint.unit, step);
      break;
    }
    case 'duration': {
      let value = constraint.value;
      let unit: TimeUnit = constraint.unit;
      const smaller = SMALLER_TIME_UNIT[unit];
      if (value === 1 && smaller) {
        value = SECONDS_PER[unit] / SECONDS_PER[smaller];
        unit = smaller;
      }
      const step = stepFor([value], unit);
      // within: the limit itself still counts; after: the change happens when the time is reached.
      const atLimitValid = constraint.relation === 'within';
      add(value - step, true, 'value-1', unit, step);
      add(value, atLimitValid, 'value', unit, step);
      add(value + step, false, 'value+1', unit, step);
      break;
    }
    default:
      break;
  }
  return values;
}
