Feature: Deleting a customer for good
  A hard delete removes a customer and everything recorded with it: addresses, contacts,
  bank accounts, pricing tiers. It is allowed only when no host module holds documents
  for the customer; a customer with history stays for the books and can only be
  deactivated. The audit trail keeps the record of the deletion.

  Background:
    Given "Walk-in Kedai Ali" is a customer of Acme Malaysia (MY01) with a billing address and a contact
    And the host modules report the documents they hold and hear of deletions

  @R-4.2
  Scenario: A customer without history is deleted with its related records
    When "ana" deletes "Walk-in Kedai Ali" for good
    Then "Walk-in Kedai Ali" can no longer be found by its id or its code
    And its address and contact are gone with it
    And the host modules heard that "Walk-in Kedai Ali" was deleted
    And the audit trail keeps a deletion record for "Walk-in Kedai Ali" made by "ana"

  @R-4.2 @R-4.3
  Scenario Outline: A host module with documents for the customer refuses the delete, and is named
    Given the <module> module holds <count> documents for "Walk-in Kedai Ali"
    When "ana" deletes "Walk-in Kedai Ali" for good
    Then the delete is refused, naming the <module> module and its <count> documents
    And the message says to deactivate the customer instead
    And "Walk-in Kedai Ali" is still there with its address and contact
    And the host modules heard of no deletion
    And the audit trail has no deletion record

    Examples:
      | module    | count |
      | sales     | 3     |
      | pos       | 1     |
      | invoicing | 12    |

  @R-4.3 @R-4.1
  Scenario: A customer with history is deactivated instead
    Given the sales module holds 3 documents for "Walk-in Kedai Ali"
    When "ana" deletes "Walk-in Kedai Ali" for good
    Then the delete is refused, naming the sales module and its 3 documents
    When "ana" deactivates "Walk-in Kedai Ali" instead
    Then "Walk-in Kedai Ali" is inactive and keeps its address and contact

  @R-4.3
  Scenario: A customer with open receivable items cannot be deleted for good
    Given "Walk-in Kedai Ali" owes invoice "INV-1" of 120.00 MYR
    When "ana" deletes "Walk-in Kedai Ali" for good
    Then the delete is refused because of open receivable items
    And the message says to deactivate the customer instead
    And "Walk-in Kedai Ali" is still there with its address and contact

  @R-4.2 @R-12
  Scenario: Only a user allowed to delete customers may delete one for good
    Given "sam" is a sales administrator
    When "sam" deletes "Walk-in Kedai Ali" for good
    Then the delete is refused for want of the permission to delete customers
    And "Walk-in Kedai Ali" is still there with its address and contact
