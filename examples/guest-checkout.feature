@SHOP-21
Feature: Guest checkout
  Guests can buy without creating an account.

  Rule: A guest pays with a card and gets a confirmation
    Scenario: Guest pays with a valid card
      Given a basket with 1 item
      When the guest pays with a valid card
      Then the order is confirmed and a confirmation email is sent

  Rule: The email address is required
    Scenario: Missing email is refused
      Given a basket with 1 item
      When the guest submits the checkout form without an email address
      Then the error "Email is required" is shown
