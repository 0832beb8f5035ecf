/**
 * Deterministic extraction of the constraints a story states in plain words: ranges, limits,
 * counts, durations, amounts, roles, enumerations, required fields and formats. The offline rules
 * engine turns them into boundary and negative cases; the lint checks that generated cases test them.
 *
 * Plain regular expressions over one sentence at a time, no model: the same story always yields
 * the same constraints, in the order they appear (summary, description, then each criterion).
 */

/** Where in the story a constraint was stated. */
export type ConstraintOrigin = 'summary' | 'description' | 'criterion';

interface ConstraintBase {
  /** The thing constrained, in plain words: `password length`, `number of files`, `order total`. */
  subject: string;
  /** The sentence the constraint was read from. */
  source: string;
  /** The words that state the constraint, e.g. `between 8 and 64 characters`. */
  phrase: string;
  origin: ConstraintOrigin;
  /** The acceptance criterion it came from, when it came from one. */
  criterionId?: string;
}

/** `between 8 and 64 characters`, `8-64 characters`, `from 1 to 10 items`. */
export interface RangeConstraint extends ConstraintBase {
  kind: 'range';
  min: number;
  max: number;
  unit?: string;
  minInclusive: boolean;
  maxInclusive: boolean;
  /** The precision the story states (`in steps of 0.5 °C`); default: the values' own decimals. */
  step?: number;
}

/** `at most 5 attempts` (bound `max`), `at least 18 years old` (bound `min`), `under $500` (exclusive). */
export interface LimitConstraint extends ConstraintBase {
  kind: 'limit';
  bound: 'min' | 'max';
  value: number;
  inclusive: boolean;
  unit?: string;
  /** The precision the story states; default: the value's own decimals. */
  step?: number;
}

/** An exact count: `exactly 6 digits`, `a 6-digit code`. */
export interface CountConstraint extends ConstraintBase {
  kind: 'count';
  value: number;
  unit?: string;
}

export type TimeUnit = 'seconds' | 'minutes' | 'hours' | 'days' | 'weeks' | 'months' | 'years';

/**
 * A time limit. `within`: the action must happen before the time is up (`within 30 minutes`);
 * `after`: something changes once the time has passed (`after 15 minutes of inactivity`,
 * `expires in 24 hours`, `locked for 15 minutes`); `every`: a repeating interval.
 */
export interface DurationConstraint extends ConstraintBase {
  kind: 'duration';
  value: number;
  unit: TimeUnit;
  /** The duration in seconds (months count 30 days, years 365). */
  seconds: number;
  relation: 'within' | 'after' | 'every';
}

/** A money amount or percentage stated without a comparison: `a fee of $4.99`, `a 10% discount`. */
export interface AmountConstraint extends ConstraintBase {
  kind: 'amount';
  value: number;
  /** `USD`, `EUR`, `GBP`, `JPY` or `%`. */
  unit: string;
}

/** Who may do what: `only admins can delete users`, `as a registered user`, `guests cannot check out`. */
export interface RoleConstraint extends ConstraintBase {
  kind: 'role';
  role: string;
  permission: 'allowed' | 'denied';
  /** True for `only admins can …`: every other role is denied. */
  exclusive: boolean;
  /** What the role may or may not do, when stated. */
  action?: string;
}

/** A closed list of values: `one of: card, PayPal or bank transfer`. */
export interface EnumerationConstraint extends ConstraintBase {
  kind: 'enumeration';
  values: string[];
}

/** A field that must be given: `email is required`, `name must not be empty`. */
export interface RequiredConstraint extends ConstraintBase {
  kind: 'required';
}

/** A value that must have a format: `must be a valid email address`. */
export interface FormatConstraint extends ConstraintBase {
  kind: 'format';
  /** `email`, `url`, `phone number`, `date`, `numeric`, `alphanumeric`, `postal code`, … */
  format: string;
}

export type Constraint =
  | RangeConstraint
  | LimitConstraint
  | CountConstraint
  | DurationConstraint
  | AmountConstraint
  | RoleConstraint
  | EnumerationConstraint
  | RequiredConstraint
  | FormatConstraint;

export type ConstraintKind = Constraint['kind'];

/** One classic boundary value, with whether the story says it is accepted. */
export interface BoundaryValue {
  value: number;
  unit?: string;
  /** True when the value is inside the constraint (accepted, or still within the time). */
  valid: boolean;
  /** The value in words, e.g. `7 characters`, `$500.01`, `59 minutes`. */
  label: string;
  /** Where the value sits: `min-1`, `min`, `min+1`, `max-1`, `max`, `max+1`, `value-1`, `value`, `value+1`. */
  position: string;
}

/** Where the text being read sits in the story: every constraint read from it carries this. */
export interface ConstraintContext {
  origin: ConstraintOrigin;
  criterionId?: string;
}
