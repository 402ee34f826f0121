Feature: Host modules hear of customer changes and take part in them
  The ERP's other modules (sales, POS, invoicing) keep their own view of customers. They
  are told of every stored change, in the order the changes were stored, and never of a
  change that was refused. They may also add their own checks to a new or changed
  customer, and supply default values for new customers.

  Background:
    Given a tenant with legal entities MY01, SG01 and US01
    And the sales module is plugged in

  # -------------------------------------------------------------------------
  # What the sales module hears
  # -------------------------------------------------------------------------

  @R-15.1 @R-15.3
  Scenario: The sales module hears of a new customer, with its data
    When walk-in customer "Kedai Ali" is created for MY01
    Then the sales module heard that "Kedai Ali" was created
    And the sales module saw "Kedai Ali" as active with code "CUS-0001" at version 1

  @R-15.1
  Scenario: The sales module hears what changed
    Given company customer "Acme Trading Sdn Bhd" of MY01 exists with:
      | salesperson | Aminah |
    When "Acme Trading Sdn Bhd" is updated with:
      | salesperson | Badrul |
    Then the sales module heard that "Acme Trading Sdn Bhd" was updated
    And the sales module heard that its salesperson changed from "Aminah" to "Badrul"
    And the sales module saw "Acme Trading Sdn Bhd" as active with code "CUS-0001" at version 2

  @R-15.1 @R-4.1
  Scenario: The sales module hears of deactivation and reactivation
    Given walk-in customer "Kedai Ali" was created for MY01
    When "Kedai Ali" is deactivated
    Then the sales module saw "Kedai Ali" as inactive with code "CUS-0001" at version 2
    When "Kedai Ali" is reactivated
    Then the sales module saw "Kedai Ali" as active with code "CUS-0001" at version 3
    And the sales module heard, in this order:
      | customer  | what        |
      | Kedai Ali | created     |
      | Kedai Ali | deactivated |
      | Kedai Ali | reactivated |

  # -------------------------------------------------------------------------
  # When it hears it
  # -------------------------------------------------------------------------

  @R-15.2
  Scenario: The sales module hears of a change only once it is stored
    Given the sales module reads each customer back when it hears of it
    When walk-in customer "Kedai Ali" is created for MY01
    And "Kedai Ali" is updated with:
      | salesperson | Aminah |
    And "Kedai Ali" is deactivated
    Then each time, the sales module read back the customer it had heard of

  @R-15.2 @R-3.3
  Scenario: A refused customer is never heard of
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 without an e-mail address
    When the customer is saved
    Then the customer is rejected with an error "required" at "email"
    And the sales module heard nothing
    And nothing was stored

  @R-15.2 @R-1.9
  Scenario: A change refused as a conflict is never heard of
    Given walk-in customer "Kedai Ali" was created for MY01
    And "Kedai Ali" was updated with:
      | salesperson | Aminah |
    When "Kedai Ali" is updated from version 1 with:
      | salesperson | Badrul |
    Then the change is refused as a conflict
    And the sales module heard, in this order:
      | customer  | what    |
      | Kedai Ali | created |
      | Kedai Ali | updated |

  @R-15.2
  Scenario: Changes are heard in the order they were stored, each with its own id, and wait in the outbox
    When walk-in customer "Kedai Ali" is created for MY01
    And walk-in customer "Kedai Bala" is created for SG01
    And "Kedai Ali" is updated with:
      | salesperson | Aminah |
    And "Kedai Bala" is deactivated
    Then the sales module heard, in this order:
      | customer   | what        |
      | Kedai Ali  | created     |
      | Kedai Bala | created     |
      | Kedai Ali  | updated     |
      | Kedai Bala | deactivated |
    And every event the sales module heard has its own id
    And the outbox holds the same events in the same order

  # -------------------------------------------------------------------------
  # What the sales module adds
  # -------------------------------------------------------------------------

  @R-15.3 @R-3.3 @R-1.5
  Scenario: The sales module's own checks are reported with the core's, all at once
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has tax id "eu.vat" "NL004495445B01"
    And its salesperson is "Aminah"
    And the customer was saved
    And the sales module requires a salesperson for companies
    And a new company customer "Acme Trading BV" of MY01 with e-mail "ap@acme.example"
    And it has tax id "eu.vat" "NL004495445B01"
    When the customer is saved
    Then the customer is rejected with exactly these errors:
      | field             | code              | message                                                |
      | tax_ids[0].number | taken             | tax id NL004495445B01 already belongs to active customer CUS-0001 |
      | salesperson       | required_by_sales | the sales module needs a salesperson                   |
    And nothing was stored
    And the sales module heard that "Acme Trading Sdn Bhd" was created
    And the sales module heard of 1 event

  @R-15.3 @R-3.3
  Scenario: The sales module checks only customers whose fields are all valid
    Given the sales module requires a salesperson for companies
    And a new company customer "Acme Trading Sdn Bhd" of MY01 without an e-mail address
    When the customer is saved
    Then the customer is rejected with exactly these errors:
      | field | code     | message                   |
      | email | required | is required for companies |
    And nothing was stored
    And the sales module heard nothing

  @R-15.3
  Scenario: The sales module's checks also apply to changes
    Given the sales module requires a salesperson for companies
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its salesperson is "Aminah"
    And the customer was saved
    When "Acme Trading Sdn Bhd" is updated with:
      | salesperson | (empty) |
    Then the change is rejected with an error "required_by_sales" at "salesperson"
    And nothing was stored

  @R-15.3
  Scenario: A customer that passes the sales module's checks is stored
    Given the sales module requires a salesperson for companies
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its salesperson is "Aminah"
    When the customer is saved
    Then the customer is created
    And the sales module heard that "Acme Trading Sdn Bhd" was created

  @R-15.3
  Scenario: The sales module supplies defaults for new customers
    Given the tenant has payment terms NET30
    And the sales module gives new customers payment terms "NET30" and salesperson "House account"
    When walk-in customer "Kedai Ali" is created for MY01
    Then its stored payment terms is "NET30"
    And its stored salesperson is "House account"

  @R-15.3
  Scenario: Values typed in win over the sales module's defaults
    Given the tenant has payment terms NET30
    And the sales module gives new customers payment terms "NET30" and salesperson "House account"
    And a new walk-in customer "Kedai Ali" of MY01
    And its salesperson is "Aminah"
    When the customer is saved
    Then its stored salesperson is "Aminah"
    And its stored payment terms is "NET30"

  @R-15.3 @R-3.3
  Scenario: Defaults from the sales module are checked like typed-in values
    Given the sales module gives new customers payment terms "NET90" and salesperson "House account"
    When walk-in customer "Kedai Ali" is created for MY01
    Then the customer is rejected with an error "unknown_reference" at "payment_terms"
    And nothing was stored
