import { describe, expect, it } from 'vitest';
import {
  negate,
  parseCriterion,
  quotedMessage,
  toImperative,
  toStatement,
  toThirdPerson,
} from './wording.ts';

describe('wording', () => {
  it('reads Given/When/Then, condition-first and effect-first criteria', () => {
    expect(
      parseCriterion(
        'Given a cart with 2 items, when the shopper pays by card, then the order is confirmed and a receipt is emailed.',
      ),
    ).toEqual({
      given: ['a cart with 2 items'],
      when: ['the shopper pays by card'],
      then: ['the order is confirmed', 'a receipt is emailed'],
    });
    expect(parseCriterion('When the payment fails, the cart is kept.')).toEqual({
      given: [],
      when: ['the payment fails'],
      then: ['the cart is kept'],
    });
    expect(parseCriterion('After 3 wrong codes the code is invalidated')).toEqual({
      given: [],
      when: ['3 wrong codes'],
      then: ['the code is invalidated'],
    });
    expect(parseCriterion('The system shall send a receipt when the order is paid.')).toEqual({
      given: [],
      when: ['the order is paid'],
      then: ['The system shall send a receipt'],
    });
    expect(parseCriterion('The price includes VAT.')).toBeUndefined();
  });

  it('turns clauses into instructions, Gherkin steps and statements', () => {
    expect(toImperative('they enter their email and press Save')).toBe('Enter their email and press Save');
    expect(toImperative('the user tries to pay')).toBe('Try to pay');
    expect(toImperative('30 minutes of inactivity')).toBe('Let 30 minutes of inactivity pass');
    expect(toThirdPerson('Enter the code, select "Verify" and wait', 'the user')).toBe(
      'the user enters the code, selects "Verify" and waits',
    );
    expect(toStatement('the system shall send a receipt', 'the user')).toBe('The system sends a receipt');
    expect(toStatement('they are taken to the dashboard', 'the shopper')).toBe(
      'The shopper is taken to the dashboard',
    );
  });

  it('negates outcomes for "not yet" checks', () => {
    expect(negate('The account is locked')).toBe('The account is not locked');
    expect(negate('Users are signed out')).toBe('Users are not signed out');
    expect(negate('The banner shows a warning')).toBe('The banner does not show a warning');
  });

  it('finds the message of a criterion rather than a button name', () => {
    expect(
      quotedMessage(
        'Only admins can open the "Users" page; others see the message "You do not have access".',
      ),
    ).toBe('You do not have access');
    expect(quotedMessage('Select "Save".')).toBeUndefined();
  });
});
