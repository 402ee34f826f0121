Feature: Cloning a customer
  A new branch of a chain, a second company of a group: most of what it needs is what an
  existing customer already has — its classification, tags, dimensions, currency,
  payment terms, price list, customer prices, entity overrides and the entities it is
  enabled for. A clone starts a new customer from those, and from its addresses and
  contacts when asked. It never copies what belongs to the other customer alone: its
  code, tax ids, external references, bank accounts, notes or history. The clone is
  checked and approved like any new customer, and its audit record names the customer
  it was cloned from.

  Background:
    Given a tenant with legal entities MY01, SG01 and US01
    And the tenant has payment terms NET30 and NET60
    And the tenant's region list is "Central, North"
    And a new company customer "Kedai Ali Sdn Bhd" of MY01 with e-mail "ap@kedai-ali.example"
    And its region is "Central"
    And its tags is "pos, key"
    And its currency is "MYR"
    And its payment terms is "NET30"
    And its notes is "Pays late in December"
    And it has tax id "my.brn" "201901000005"
    And it came from "salesforce" record "0015g00000XyZ"
    And it has these bank accounts:
      | bank    | account number |
      | Maybank | 5140123456     |
    And it has these addresses:
      | label       | purposes | default for | line 1         | city         | country |
      | Head office | billing  | billing     | 1 Jalan Ampang | Kuala Lumpur | MY      |
    And it has these contacts:
      | name        | roles            | primary |
      | Siti Rahman | accounts_payable | yes     |
    And it has these overrides:
      | entity | credit limit | currency |
      | SG01   | 20000        | SGD      |
    And it is enabled for SG01
    And the customer was saved

  @R-3.5
  Scenario: A clone takes what customers share and never what identifies the source
    When "Kedai Ali Sdn Bhd" is cloned as "Kedai Ali Penang Sdn Bhd" with e-mail "ap@kedai-penang.example"
    Then the customer is created with code "CUS-0002"
    And its stored region is "Central"
    And its stored tags is "pos, key"
    And its stored payment terms is "NET30"
    And its stored currency is "MYR"
    And it has 1 overrides
    And the clone is enabled for SG01
    And it has 0 tax ids
    And it has 0 bank accounts
    And it has 0 addresses
    And it has 0 contacts
    And the clone has no notes and no external references

  @R-3.5
  Scenario: Addresses and contacts come along when asked, as new records
    When "Kedai Ali Sdn Bhd" is cloned as "Kedai Ali Penang Sdn Bhd" with e-mail "ap@kedai-penang.example" with its addresses and contacts
    Then the customer is created
    And it has 1 addresses
    And it has 1 contacts
    And its records are new records, not the source's

  @R-3.5 @R-3.3
  Scenario: A clone is checked like any new customer
    When "Kedai Ali Sdn Bhd" is cloned as " " with e-mail "not an address"
    Then the customer is rejected with an error at "name"
    And the customer is rejected with an error at "email"
    And nothing was stored

  @R-3.5 @R-10.2 @R-11.1
  Scenario: A clone waits for approval like any new customer and its audit names the source
    Given new companies need the yellow lane's approval
    When "Kedai Ali Sdn Bhd" is cloned as "Kedai Ali Penang Sdn Bhd" with e-mail "ap@kedai-penang.example"
    Then the clone waits for approval by ar_manager, then controller
    When the AR manager and the controller approve it
    Then the audit record of the clone's creation names "Kedai Ali Sdn Bhd" as its source
    And the clone's timeline says it was created as a clone of "Kedai Ali Sdn Bhd"
