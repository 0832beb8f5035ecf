/**
 * Constraints a story states in plain words (ranges, limits, counts, durations, amounts, roles,
 * enumerations, required fields and formats), read by regular expressions one sentence at a time,
 * and the boundary values that test them.
 */
export type {
  AmountConstraint,
  BoundaryValue,
  Constraint,
  ConstraintKind,
  ConstraintOrigin,
  CountConstraint,
  DurationConstraint,
  EnumerationConstraint,
  FormatConstraint,
  LimitConstraint,
  RangeConstraint,
  RequiredConstraint,
  RoleConstraint,
  TimeUnit,
} from './types.ts';
export { extractConstraints, extractConstraintsFromText } from './extract.ts';
export { boundaryValuesFor, formatQuantity } from './boundaries.ts';
