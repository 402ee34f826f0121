Feature: Merging duplicate customers
  When the same customer was entered twice, the duplicate (the source) is merged into the
  customer that stays (the target). Everything the duplicate holds moves over; exact
  duplicates are folded into one; where both claim the same role the target's claim
  stands. The duplicate is retired, and anyone who still looks it up is led to the
  customer that stays. Host modules hear of the merge and move their documents.

  Background:
    Given "Globe Trading" is a customer of Acme Inc (US01) in USD
    And "Globe Trading Sdn Bhd" is a customer of Acme Malaysia (MY01) in USD
    And the sales module reports its documents and listens for merges

  # -------------------------------------------------------------------------
  # What moves (R-8.1)
  # -------------------------------------------------------------------------

  @R-8.1
  Scenario: The duplicate's records move to the customer that stays, which keeps its own defaults
    Given "Globe Trading" has these addresses:
      | street           | city        | country | purposes          | default for       |
      | 1 Main Street    | Springfield | US      | billing, shipping | billing, shipping |
    And "Globe Trading Sdn Bhd" has these addresses:
      | street                 | city       | country | purposes | default for |
      | Lot 5 Jalan Pelabuhan  | Port Klang | MY      | shipping | shipping    |
    And "Globe Trading" has primary contact "Tan Mei Ling" at "mei@globe.example"
    And "Globe Trading Sdn Bhd" has primary contact "Lim Wei" at "wei@globe.example"
    And "Globe Trading Sdn Bhd" is tagged "export"
    And "Globe Trading Sdn Bhd" pays 0.50 USD for BOLT
    And "Globe Trading Sdn Bhd" banks with "Maybank" under account "514011223344"
    When "Globe Trading Sdn Bhd" is merged into "Globe Trading"
    Then "Globe Trading" has the addresses "1 Main Street" and "Lot 5 Jalan Pelabuhan"
    And the default shipping address of "Globe Trading" is still "1 Main Street"
    And the contacts of "Globe Trading" are "Tan Mei Ling" and "Lim Wei", with "Tan Mei Ling" still the primary contact
    And "Globe Trading" is tagged "export"
    And "Globe Trading" pays 0.50 USD for BOLT
    And "Globe Trading" banks with "Maybank" under account "514011223344"
    And "Globe Trading" may now be used by Acme Malaysia (MY01)
    And "Globe Trading Sdn Bhd" is inactive and merged into "Globe Trading"

  @R-8.1
  Scenario: Exact duplicates are folded into one
    Given "Globe Trading" has these addresses:
      | street        | city        | country | purposes | default for |
      | 1 Main Street | Springfield | US      | billing  | billing     |
    And "Globe Trading Sdn Bhd" has these addresses:
      | street        | city        | country | purposes | default for |
      | 1 Main Street | Springfield | US      | billing  | billing     |
    And "Globe Trading" has primary contact "Tan Mei Ling" at "mei@globe.example"
    And "Globe Trading Sdn Bhd" has primary contact "Tan Mei Ling" at "MEI@globe.example"
    When "Globe Trading Sdn Bhd" is merged into "Globe Trading"
    Then "Globe Trading" has the addresses "1 Main Street"
    And the contacts of "Globe Trading" are "Tan Mei Ling", with "Tan Mei Ling" still the primary contact
    And the merge reports 1 duplicate address and 1 duplicate contact folded

  @R-8.1
  Scenario Outline: Looking up the merged-away customer leads to the customer that stays
    When "Globe Trading Sdn Bhd" is merged into "Globe Trading"
    And someone looks up "Globe Trading Sdn Bhd" by its <key>
    Then they are led to "Globe Trading", marked as a redirect from "Globe Trading Sdn Bhd"

    Examples:
      | key                 |
      | id                  |
      | code                |
      | code in lower case  |

  # -------------------------------------------------------------------------
  # When a merge is refused (R-8.1, R-8.3)
  # -------------------------------------------------------------------------

  @R-8.1 @R-8.3
  Scenario: A customer cannot be merged into itself
    When "Globe Trading" is merged into "Globe Trading"
    Then the merge is refused: "a customer cannot be merged into itself"
    And nothing about "Globe Trading" changed

  @R-8.1 @R-8.3
  Scenario: The customer that stays must be active
    Given "Globe Trading" has been deactivated
    When "Globe Trading Sdn Bhd" is merged into "Globe Trading"
    Then the merge is refused: "is inactive; reactivate it first"
    And nothing about "Globe Trading Sdn Bhd" changed

  @R-8.1
  Scenario Outline: A customer already merged away cannot take part in another merge
    Given "Globe Trading Holdings" is a customer of Acme Inc (US01) in USD
    And "Globe Trading Sdn Bhd" was merged into "Globe Trading Holdings"
    When "<source>" is merged into "<target>"
    Then the merge is refused: "was already merged away"

    Examples:
      | source                | target                |
      | Globe Trading Sdn Bhd | Globe Trading         |
      | Globe Trading         | Globe Trading Sdn Bhd |

  @R-8.1 @R-8.3
  Scenario: Customers in different currencies are not merged while the duplicate has open items
    Given "Kedai Globe" is a customer of Acme Malaysia (MY01) in MYR
    And "Kedai Globe" owes invoice "INV-MY-1" of 800.00 MYR to Acme Malaysia (MY01)
    When "Kedai Globe" is merged into "Globe Trading"
    Then the merge is refused: "has open items in MYR but"
    And nothing about "Kedai Globe" changed
    And invoice "INV-MY-1" is still owed by "Kedai Globe"

  @R-8.1
  Scenario: Customers in different currencies are merged when the duplicate owes nothing
    Given "Kedai Globe" is a customer of Acme Malaysia (MY01) in MYR
    When "Kedai Globe" is merged into "Globe Trading"
    Then "Kedai Globe" is inactive and merged into "Globe Trading"

  @R-8.1 @R-12
  Scenario: A customer of another organisation is out of reach
    Given another organisation has a customer "Initech"
    When "Globe Trading Sdn Bhd" is merged into the other organisation's "Initech"
    Then the merge is refused because that customer is not found
    And nothing about "Globe Trading Sdn Bhd" changed

  # -------------------------------------------------------------------------
  # Host modules and the merge policy (R-8.2)
  # -------------------------------------------------------------------------

  @R-8.2 @R-15.2
  Scenario: Host modules hear of the merge once it is saved, and open items move to the customer that stays
    Given "Globe Trading Sdn Bhd" owes invoice "INV-9" of 500.00 USD to Acme Inc (US01)
    And "Globe Trading Sdn Bhd" has sales order "SO-9" of 200.00 USD not yet invoiced with Acme Inc (US01)
    When "Globe Trading Sdn Bhd" is merged into "Globe Trading"
    Then the sales module heard once that "Globe Trading Sdn Bhd" was merged into "Globe Trading"
    And when the sales module heard, the merge was already saved
    And invoice "INV-9" is now owed by "Globe Trading"
    And sales order "SO-9" is now for "Globe Trading"

  @R-8.2
  Scenario Outline: The merge policy decides whether two customers with history may be merged
    Given the tenant's merge policy is "<policy>"
    And the sales module holds <source documents> documents for "Globe Trading Sdn Bhd"
    And the sales module holds <target documents> documents for "Globe Trading"
    When "Globe Trading Sdn Bhd" is merged into "Globe Trading"
    Then the merge <result>

    Examples:
      | policy                      | source documents | target documents | result                                                |
      | forbid if both have history | 3                | 5                | is refused: "both customers have transaction history" |
      | forbid if both have history | 3                | no               | goes ahead                                            |
      | forbid if both have history | no               | 5                | goes ahead                                            |
      | transfer                    | 3                | 5                | goes ahead                                            |

  @R-8.2 @R-15.2
  Scenario: Host modules hear nothing of a refused merge
    Given the tenant's merge policy is "forbid if both have history"
    And the sales module holds 3 documents for "Globe Trading Sdn Bhd"
    And the sales module holds 5 documents for "Globe Trading"
    When "Globe Trading Sdn Bhd" is merged into "Globe Trading"
    Then the merge is refused: "both customers have transaction history"
    And the sales module heard of no merge
    And nothing about "Globe Trading Sdn Bhd" changed

  # -------------------------------------------------------------------------
  # The audit trail (R-8.3)
  # -------------------------------------------------------------------------

  @R-8.3 @R-11.1
  Scenario: A merge leaves one audit record naming both customers
    When "Globe Trading Sdn Bhd" is merged into "Globe Trading"
    Then the audit trail holds exactly one merge record
    And it names "Globe Trading Sdn Bhd" and "Globe Trading", and was made by "ana"
    And it records that "Globe Trading Sdn Bhd" now points at "Globe Trading"
