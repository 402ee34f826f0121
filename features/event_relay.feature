Feature: Host modules on other machines receive every customer change through a broker
  Modules that run in other processes or on other machines (a warehouse system, a CRM,
  the group's reporting) subscribe to the message broker instead of plugging in. The
  relay hands them every stored change at least once, each tenant's changes in the order
  they were stored, each message carrying the change's own id so a module can drop a
  change it has seen. A change is counted as delivered only once the broker confirmed
  it; a relay that dies sends again rather than skip.

  Background:
    Given a tenant with legal entities MY01, SG01 and US01
    And a broker that confirms what it receives

  @R-15.4 @R-15.2
  Scenario: Every stored change reaches the broker once, in the order stored, with its data
    Given walk-in customer "Kedai Ali" was created for MY01
    And company customer "Acme Trading Sdn Bhd" of MY01 exists with:
      | salesperson | Aminah |
    And "Kedai Ali" was deactivated
    When the relay runs
    Then the broker received, in this order:
      | customer             | what        |
      | Kedai Ali            | created     |
      | Acme Trading Sdn Bhd | created     |
      | Kedai Ali            | deactivated |
    And every message carries its change's id and the customer's data
    And no change is waiting to be relayed

  @R-15.2 @R-15.4
  Scenario: A refused change never reaches the broker
    Given a company customer "Tan Holdings" without an e-mail address was refused
    When the relay runs
    Then the broker received nothing

  @R-15.4
  Scenario: Changes wait, counted and dated, while the broker is down, and then all go out in order
    Given walk-in customer "Kedai Ali" was created for MY01
    And walk-in customer "Kedai Baru" was created for MY01
    And the broker is down
    When the relay runs 5 minutes later
    Then the broker received nothing
    And the relay status shows 2 changes waiting for the tenant, the oldest 5 minutes old
    When the broker is back and the relay runs
    Then the broker received, in this order:
      | customer   | what    |
      | Kedai Ali  | created |
      | Kedai Baru | created |
    And no change is waiting to be relayed

  @R-15.4
  Scenario: A relay that dies after the broker confirmed sends again, never skips
    Given walk-in customer "Kedai Ali" was created for MY01
    And walk-in customer "Kedai Baru" was created for MY01
    And a relay died after the broker confirmed "Kedai Ali"'s change but before noting it
    When another relay runs once the dead relay's hold has ended
    Then the broker received, in this order:
      | customer   | what    |
      | Kedai Ali  | created |
      | Kedai Ali  | created |
      | Kedai Baru | created |
    And both copies of "Kedai Ali"'s change carry the same id
    And no change is waiting to be relayed

  @R-15.4
  Scenario: Two relays at once do not both send the tenant's changes
    Given walk-in customer "Kedai Ali" was created for MY01
    And walk-in customer "Kedai Baru" was created for MY01
    And the first relay took the changes but its broker stopped answering
    When a second relay runs
    Then the second relay sent nothing
    When the first relay's broker is back and it runs
    Then the broker received, in this order:
      | customer   | what    |
      | Kedai Ali  | created |
      | Kedai Baru | created |
