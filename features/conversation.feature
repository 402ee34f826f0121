Feature: Working with the customer master through an assistant
  People ask an assistant connected to the customer master (over MCP) to find customers,
  check credit and put a customer on hold. The assistant acts as the person whose API key
  it holds: their tenant, their roles, the tenant's approval lanes and the audit trail
  apply exactly as in the API, and a change waiting for approval is answered in words
  that say who must approve next. What cannot be undone is shown before it is done.

  Background:
    Given "Kedai Makmur Sdn Bhd" is a customer of Acme Malaysia with a credit limit of 20,000.00 MYR
    And credit holds wait for an AR manager, then a controller

  @R-16.4
  Scenario: A hold asked for through the assistant waits for two approvals and names who is next
    When ana asks the assistant for customers named "kedai makmer"
    Then the assistant finds "Kedai Makmur Sdn Bhd"
    When ana asks the assistant whether an order of 25,000.00 MYR fits its credit
    Then the assistant answers "blocked" because of "over_limit"
    When ana asks the assistant to put "Kedai Makmur Sdn Bhd" on credit hold
    Then the assistant says the hold waits for approval, next by an AR manager who is not ana
    And "Kedai Makmur Sdn Bhd" is not on credit hold yet
    When mei, an AR manager, approves the hold through the assistant
    And carl, a controller, approves the hold through the assistant
    Then "Kedai Makmur Sdn Bhd" is on credit hold
    And the audit trail records the hold as made through the assistant

  @R-16.4
  Scenario: Someone whose role does not allow a hold is told why
    When vic, a viewer, asks the assistant to put "Kedai Makmur Sdn Bhd" on credit hold
    Then the assistant refuses, saying vic may not do this
    And "Kedai Makmur Sdn Bhd" is not on credit hold yet

  @R-16.4
  Scenario: A merge is shown first and done only when confirmed
    Given "Kedai Makmur" is a duplicate of it
    When olga, an administrator, asks the assistant to merge "Kedai Makmur" into "Kedai Makmur Sdn Bhd"
    Then the assistant shows the merge, does nothing yet and asks for a confirmation
    When olga confirms the merge
    Then "Kedai Makmur" is merged into "Kedai Makmur Sdn Bhd"
