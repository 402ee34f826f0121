Feature: Deactivating and reactivating customers
  Deleting a customer normally means deactivating it: it no longer appears in the lists
  used for new documents, but it keeps its code, its related records and its history,
  and it can be brought back.

  Background:
    Given a tenant with legal entities MY01, SG01 and US01
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these addresses:
      | label       | purposes | default for | line 1         | city         | country |
      | Head office | billing  | billing     | 1 Jalan Ampang | Kuala Lumpur | MY      |
    And it has these contacts:
      | name        | primary |
      | Siti Rahman | yes     |
    And the customer was saved
    And walk-in customer "Kedai Ali" was created for MY01

  @R-4.1 @R-1.8
  Scenario: A deactivated customer leaves the list and keeps everything else
    When "Acme Trading Sdn Bhd" is deactivated
    Then "Acme Trading Sdn Bhd" is inactive at version 2
    And the customer list shows "Kedai Ali"
    And the list of inactive customers shows "Acme Trading Sdn Bhd"
    And "Acme Trading Sdn Bhd" can still be read by its id and by code "CUS-0001"
    And it has 1 address
    And its primary contact is "Siti Rahman"
    And the history of "Acme Trading Sdn Bhd" reads "create" and "deactivate"

  @R-4.1
  Scenario: A deactivated customer can be reactivated
    Given "Acme Trading Sdn Bhd" was deactivated
    When "Acme Trading Sdn Bhd" is reactivated
    Then "Acme Trading Sdn Bhd" is active at version 3
    And the customer list shows "Acme Trading Sdn Bhd" and "Kedai Ali"
    And its default billing address is "Head office"
    And the history of "Acme Trading Sdn Bhd" reads "create", "deactivate" and "reactivate"

  @R-4.1
  Scenario: Deactivating an inactive customer changes nothing
    Given "Acme Trading Sdn Bhd" was deactivated
    When "Acme Trading Sdn Bhd" is deactivated
    Then "Acme Trading Sdn Bhd" is inactive at version 2
    And nothing was stored

  @R-4.1 @R-1.9
  Scenario: Deactivating from an old version is refused as a conflict
    Given "Acme Trading Sdn Bhd" was updated with:
      | salesperson | Aminah |
    When "Acme Trading Sdn Bhd" is deactivated from version 1
    Then the change is refused as a conflict
    And nothing was stored
    And "Acme Trading Sdn Bhd" is active at version 2

  @R-4.1 @R-1.9
  Scenario: Deactivating from the current version succeeds
    Given "Acme Trading Sdn Bhd" was updated with:
      | salesperson | Aminah |
    When "Acme Trading Sdn Bhd" is deactivated from version 2
    Then "Acme Trading Sdn Bhd" is inactive at version 3

  @R-4.1 @R-1.5
  Scenario: A deactivated customer's tax id is free, so it cannot come back while another holds it
    Given a new company customer "Lim Brothers Pte Ltd" of MY01 with e-mail "ap@limbros.example"
    And it has tax id "eu.vat" "NL004495445B01"
    And the customer was saved
    And "Lim Brothers Pte Ltd" was deactivated
    And a new company customer "Lim Brothers Holdings" of MY01 with e-mail "ap@limholdings.example"
    And it has tax id "eu.vat" "NL004495445B01"
    And the customer was saved
    When "Lim Brothers Pte Ltd" is reactivated
    Then the change is rejected with an error "taken" at "tax_ids[0].number"
    And the error at "tax_ids[0].number" names customer "CUS-0004"
    And nothing was stored
    And "Lim Brothers Pte Ltd" is inactive at version 2
