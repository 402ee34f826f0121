Feature: The web admin
  The people who keep the customer master work in a browser: they sign in with their
  API key, find customers however a name was typed, create and change them in forms that
  show every problem at its field at once, and approve each other's changes. What a role
  may not see stays hidden on every page. These scenarios drive a real browser (the
  machine's Chromium) against the admin served over the demo tenant.

  Background:
    Given the admin is served over the demo tenant

  @R-16.5 @R-14.1
  Scenario: A misspelt name still finds the customer as it is typed
    Given "ana" is signed in to the admin
    When she types "Harbourfrnt Foods" in the search box
    Then the list shows only "Harbourfront Foods Pte Ltd" and "Harbourfront Foods Pte. Ltd."

  @R-16.5 @R-3.3
  Scenario: Every problem of a new customer is shown at its field at once
    Given "sam" is signed in to the admin
    When he fills a new customer with no name, e-mail "not-an-address" and an address without a city or country
    Then the form shows a problem at each of "name", "email", "addresses-0-city" and "addresses-0-country"
    And what he typed is still in the form
    And no customer was saved

  @R-16.5 @R-10.2
  Scenario: A new customer from the admin is approved by two other people
    Given "sam" is signed in to the admin
    When he creates customer "Seberang Jaya Hardware Sdn Bhd" with e-mail "ap@sj-hardware.example"
    Then the page says it waits for yellow approval and offers him no approval
    When "ana" approves it in the admin as ar_manager
    And "carlos" approves it in the admin as controller
    Then customer "Seberang Jaya Hardware Sdn Bhd" exists

  @R-16.5 @R-12.2
  Scenario: A viewer sees a customer's credit figures masked
    Given "vic" is signed in to the admin
    When he opens a customer with a credit limit
    Then the credit limit and the credit position read "hidden for your role"

  @R-16.5 @R-16.6
  Scenario: A document is attached on the customer page, listed and downloaded
    Given "ana" is signed in to the admin
    When she attaches the PDF "exemption-2026.pdf" on a customer's page
    Then the page lists "exemption-2026.pdf" as a PDF uploaded by "ana"
    And downloading "exemption-2026.pdf" gives back the bytes she uploaded

  @R-16.5 @R-16.6
  Scenario: A file whose bytes are not what its name says is refused at the field
    Given "ana" is signed in to the admin
    When she attaches an executable named "invoice.pdf" on a customer's page
    Then the file field says "its bytes are application/x-executable"
    And the customer keeps no document named "invoice.pdf"

  @R-16.5 @R-13.2
  Scenario: A customer's page shows its aging in buckets, in its currency
    Given "ana" is signed in to the admin
    When she opens a customer with something overdue
    Then its aging reads current, 1–30, 31–60, 61–90 and over 90 days and the total, each amount right-aligned with its currency

  @R-16.5 @R-12.2
  Scenario: A viewer sees who owes but not how much
    Given "vic" is signed in to the admin
    When he opens a customer with something overdue
    Then its aging reads "figures hidden for your role" and shows no amount

  @R-16.5 @R-13.3
  Scenario: A statement of account is downloaded as a PDF from the customer's page
    Given "ana" is signed in to the admin
    When she opens a customer with something overdue
    And she downloads its statement as a PDF from "2020-01-01" to today
    Then the PDF names the customer and its balance due today
