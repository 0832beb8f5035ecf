import { describe, expect, it } from 'vitest';
import {
  boundaryValuesFor,
  extractConstraints,
  extractConstraintsFromText,
  type Constraint,
  type LimitConstraint,
  type RangeConstraint,
} from './index.ts';
import type { Story } from '../model.ts';

function storyWith(criteria: string[], extra: Partial<Story> = {}): Story {
  return {
    key: 'TEST-1',
    summary: 'A story',
    description: '',
    acceptanceCriteria: criteria.map((text, index) => ({ id: `AC-${index + 1}`, text })),
    outOfScope: [],
    notes: [],
    source: 'text',
    ...extra,
  };
}

function only(text: string): Constraint {
  const constraints = extractConstraintsFromText(text);
  expect(constraints, `constraints of "${text}"`).toHaveLength(1);
  return constraints[0]!;
}

describe('extract.ts: extractConstraintsFromText: numbers', () => {
  it.each([
    ['The password must be between 8 and 64 characters.', 8, 64, 'characters', 'password length'],
    ['Passwords must be 8-64 characters long.', 8, 64, 'characters', 'password length'],
    ['The quantity can be from 1 to 10 items.', 1, 10, 'items', 'number of items'],
    ['The username must be at least 3 and at most 20 characters.', 3, 20, 'characters', 'username length'],
    ['The transfer amount must be between $10 and $5,000.', 10, 5000, 'USD', 'transfer amount'],
  ])('reads the range in "%s"', (text, min, max, unit, subject) => {
    expect(only(text)).toMatchObject({
      kind: 'range',
      min,
      max,
      unit,
      subject,
      minInclusive: true,
      maxInclusive: true,
    });
  });

  it.each([
    [
      'A user can attempt to log in at most 5 times.',
      'max',
      5,
      true,
      'times',
      'number of attempts to log in',
    ],
    ['Upload at most 5 files at once.', 'max', 5, true, 'files', 'number of files'],
    ['A password must have no more than 64 characters', 'max', 64, true, 'characters', 'password length'],
    ['The order total must not exceed $500.', 'max', 500, true, 'USD', 'order total'],
    ['Files up to 10 MB can be uploaded.', 'max', 10, true, 'MB', 'file size'],
    ['The file size must be 10 MB or less.', 'max', 10, true, 'MB', 'file size'],
    ['Users must be at least 18 years old.', 'min', 18, true, 'years', 'age'],
    ['The discount is capped at 50%.', 'max', 50, true, '%', 'discount'],
    ['The maximum order amount is $1,000.00.', 'max', 1000, true, 'USD', 'order amount'],
    ['Orders under $10 are rejected.', 'max', 10, false, 'USD', 'order'],
  ])('reads the limit in "%s"', (text, bound, value, inclusive, unit, subject) => {
    expect(only(text)).toMatchObject({ kind: 'limit', bound, value, inclusive, unit, subject });
  });

  it('reads a failure threshold and the lockout time in one sentence', () => {
    const constraints = extractConstraintsFromText(
      'After 5 failed login attempts the account is locked for 15 minutes.',
    );
    expect(constraints).toMatchObject([
      { kind: 'limit', bound: 'max', value: 5, inclusive: false, subject: 'failed login attempts' },
      {
        kind: 'duration',
        value: 15,
        unit: 'minutes',
        seconds: 900,
        relation: 'after',
        subject: 'lockout time',
      },
    ]);
  });

  it.each([
    ['Users are logged out after 15 minutes of inactivity.', 15, 'minutes', 'after', 'inactivity time'],
    ['The reset link expires in 24 hours.', 24, 'hours', 'after', 'reset link validity'],
    ['The confirmation email is sent within 30 minutes.', 30, 'minutes', 'within', 'confirmation email time'],
    ['Refunds can be requested within 14 days of delivery.', 14, 'days', 'within', 'refunds time'],
    ['The export runs every 24 hours.', 24, 'hours', 'every', 'export runs time'],
  ])('reads the duration in "%s"', (text, value, unit, relation, subject) => {
    expect(only(text)).toMatchObject({ kind: 'duration', value, unit, relation, subject });
  });

  it('reads exact counts and stand-alone amounts', () => {
    expect(only('The code has exactly 6 digits.')).toMatchObject({
      kind: 'count',
      value: 6,
      unit: 'digits',
      subject: 'code length',
    });
    expect(only('Enter the 6-digit code sent by SMS.')).toMatchObject({
      kind: 'count',
      value: 6,
      unit: 'digits',
    });
    expect(only('Shipping costs a flat fee of $4.99.')).toMatchObject({
      kind: 'amount',
      value: 4.99,
      unit: 'USD',
    });
    expect(only('Members get a 10% discount.')).toMatchObject({ kind: 'amount', value: 10, unit: '%' });
  });

  it.each([
    'See AC-1 and AC-12 for details.',
    'Follow step 2 in section 3 of the guide.',
    'Released on 2024-01-15 in version 2.3.1.',
    'Deployed on January 5, 2024 at 10:30.',
    'The report for 15/01/2024 lists the 3rd quarter.',
    'The API returns HTTP 404 when the item is missing.',
    'Use Node 20 and PostgreSQL 16 as in SHOP-42.',
    'The release is planned for Q3 2025.',
    'The page is kept up to date.',
    'The user clicks the Save button.',
  ])('finds nothing in "%s"', (text) => {
    expect(extractConstraintsFromText(text)).toEqual([]);
  });
});

describe('extract.ts: extractConstraintsFromText: roles, lists, required fields, formats', () => {
  it('reads exclusive, denied and story roles', () => {
    expect(only('Only admins can delete users.')).toMatchObject({
      kind: 'role',
      role: 'admins',
      permission: 'allowed',
      exclusive: true,
      action: 'delete users',
    });
    expect(only('Guests cannot check out.')).toMatchObject({
      kind: 'role',
      role: 'guests',
      permission: 'denied',
      action: 'check out',
    });
    expect(
      only('As a registered user, I want to reset my password so that I can regain access.'),
    ).toMatchObject({
      kind: 'role',
      role: 'registered user',
      permission: 'allowed',
      exclusive: false,
      action: 'reset my password',
    });
    const both = extractConstraintsFromText('Only admins and managers can approve refunds.');
    expect(both.map((constraint) => constraint.kind === 'role' && constraint.role)).toEqual([
      'admins',
      'managers',
    ]);
  });

  it('reads enumerations', () => {
    expect(only('The payment method is one of: card, PayPal or bank transfer.')).toMatchObject({
      kind: 'enumeration',
      subject: 'payment method',
      values: ['card', 'PayPal', 'bank transfer'],
    });
    expect(only('Status must be Draft, Active or Archived.')).toMatchObject({
      kind: 'enumeration',
      subject: 'status',
      values: ['Draft', 'Active', 'Archived'],
    });
    expect(only('Supported formats are JPG, PNG and PDF.')).toMatchObject({
      kind: 'enumeration',
      subject: 'format',
      values: ['JPG', 'PNG', 'PDF'],
    });
  });

  it('reads required fields and formats', () => {
    expect(only('Email is required.')).toMatchObject({ kind: 'required', subject: 'email' });
    expect(only('The name field must not be empty.')).toMatchObject({
      kind: 'required',
      subject: 'name field',
    });
    expect(extractConstraintsFromText('First name and last name are required.')).toMatchObject([
      { kind: 'required', subject: 'first name' },
      { kind: 'required', subject: 'last name' },
    ]);
    expect(
      extractConstraintsFromText('The street, city and postal code are required.').map(
        (constraint) => constraint.subject,
      ),
    ).toEqual(['street', 'city', 'postal code']);
    expect(
      extractConstraintsFromText('If the order is a gift, the name and email are required.').map(
        (constraint) => constraint.subject,
      ),
    ).toEqual(['name', 'email']);
    expect(only('The email must be a valid email address.')).toMatchObject({
      kind: 'format',
      format: 'email',
      subject: 'email',
    });
    expect(only('The phone number must be a valid phone number.')).toMatchObject({
      kind: 'format',
      format: 'phone number',
    });
    expect(only('Dates are shown in YYYY-MM-DD format.')).toMatchObject({
      kind: 'format',
      format: 'date (YYYY-MM-DD)',
    });
  });
});

describe('extract.ts: extractConstraints', () => {
  it('tags each constraint with its criterion and keeps the criterion copy of a repeated one', () => {
    const story = storyWith(
      [
        'The password must be between 8 and 64 characters.',
        'Only admins can unlock accounts.',
        'Step 2 shows AC-1 again.',
      ],
      {
        description:
          'As a registered user I want to sign in. The password must be between 8 and 64 characters.',
      },
    );
    const constraints = extractConstraints(story);
    expect(
      constraints.map((constraint) => [constraint.kind, constraint.criterionId, constraint.origin]),
    ).toEqual([
      ['role', undefined, 'description'],
      ['range', 'AC-1', 'criterion'],
      ['role', 'AC-2', 'criterion'],
    ]);
    expect(constraints[1]!.source).toBe('The password must be between 8 and 64 characters.');
  });

  it('reads sentences wrapped over several lines as one, and list items as separate', () => {
    const constraints = extractConstraintsFromText(
      'As a registered user I want to reset my\npassword so that I can sign in.\n- Links expire\nin 24 hours\n- Only admins can unlock accounts',
    );
    expect(constraints).toMatchObject([
      { kind: 'role', role: 'registered user', action: 'reset my password' },
      { kind: 'duration', value: 24, unit: 'hours' },
      { kind: 'role', role: 'admins', exclusive: true },
    ]);
  });

  it('gives the same answer for the same story', () => {
    const story = storyWith(['Upload at most 5 files of up to 10 MB each.', 'Links expire in 24 hours.']);
    expect(extractConstraints(story)).toEqual(extractConstraints(story));
    expect(extractConstraints(story).map((constraint) => constraint.kind)).toEqual([
      'limit',
      'limit',
      'duration',
    ]);
  });
});

describe('boundaries.ts: boundaryValuesFor', () => {
  const range = only('The password must be between 8 and 64 characters.') as RangeConstraint;

  it('gives min-1 … max+1 for a range, with validity', () => {
    expect(
      boundaryValuesFor(range).map((boundary) => [boundary.value, boundary.valid, boundary.label]),
    ).toEqual([
      [7, false, '7 characters'],
      [8, true, '8 characters'],
      [9, true, '9 characters'],
      [63, true, '63 characters'],
      [64, true, '64 characters'],
      [65, false, '65 characters'],
    ]);
  });

  it('respects exclusive bounds and money steps', () => {
    const under = only('Orders under $10 are rejected.') as LimitConstraint;
    expect(boundaryValuesFor(under).map((boundary) => [boundary.label, boundary.valid])).toEqual([
      ['$9.99', true],
      ['$10.00', false],
      ['$10.01', false],
    ]);
    const atLeast = only('Users must be at least 18 years old.');
    expect(boundaryValuesFor(atLeast).map((boundary) => [boundary.value, boundary.valid])).toEqual([
      [17, false],
      [18, true],
      [19, true],
    ]);
  });

  it('never goes below zero and skips duplicate values', () => {
    const small = only('The quantity can be from 1 to 2 items.');
    expect(boundaryValuesFor(small).map((boundary) => boundary.value)).toEqual([0, 1, 2, 3]);
    const zero = only('A cart holds from 0 to 3 items.');
    expect(boundaryValuesFor(zero).map((boundary) => boundary.value)).toEqual([0, 1, 2, 3, 4]);
  });

  it('puts a one-hour duration in minutes and marks the change at the limit', () => {
    const expiry = only('The link expires in 1 hour.');
    expect(boundaryValuesFor(expiry).map((boundary) => [boundary.label, boundary.valid])).toEqual([
      ['59 minutes', true],
      ['60 minutes', false],
      ['61 minutes', false],
    ]);
    const within = only('The email is sent within 30 minutes.');
    expect(boundaryValuesFor(within).map((boundary) => boundary.valid)).toEqual([true, true, false]);
  });

  it('gives exact counts their neighbours and nothing for roles', () => {
    expect(
      boundaryValuesFor(only('The code has exactly 6 digits.')).map((boundary) => [
        boundary.value,
        boundary.valid,
      ]),
    ).toEqual([
      [5, false],
      [6, true],
      [7, false],
    ]);
    expect(boundaryValuesFor(only('Only admins can delete users.'))).toEqual([]);
  });
});
