Feature: Price resolution
  The unit price on a customer's document comes from the first of these that has one:
  the customer's own pricing tier, the rate on the customer's last sales invoice (when
  the tenant prices that way), the customer's default price list, the tenant's standard
  price list. If none has a price the answer is "no price", never zero. The answer
  names the source that won and says why each source before it did not apply.

  Background:
    Given today is 2026-03-02
    And the standard price list "STD" in USD reads:
      | item | unit price | from quantity | valid from | valid to |
      | BOLT | 1.00       | 0             |            |          |
      | BOLT | 0.90       | 100           |            |          |
      | BOLT | 0.80       | 500           |            |          |
      | NUT  | 0.20       | 0             |            |          |
    And the tenant's standard price list is "STD"
    And the price list "WHOLESALE" in USD reads:
      | item | unit price | from quantity | valid from | valid to |
      | BOLT | 0.85       | 0             |            |          |
    And the price list "ASIA" in SGD reads:
      | item | unit price | from quantity | valid from | valid to |
      | BOLT | 1.15       | 0             |            |          |
    And "Globe Trading" is a customer of Acme Inc (US01)

  # -------------------------------------------------------------------------
  # Each source in turn (R-7.2)
  # -------------------------------------------------------------------------

  @R-7.2
  Scenario: The customer's own pricing tier comes first
    Given the customer pays 0.50 USD for BOLT from 10 to 500 pieces
    And the tenant prices from the last sales invoice
    And the customer was last invoiced BOLT at 0.70 USD on 2026-02-15
    And the customer's default price list is "WHOLESALE"
    When the price of 50 BOLT is resolved
    Then the price is 0.50 USD from the customer's pricing tier
    And no source was passed over

  @R-7.2
  Scenario: The last invoiced rate wins when no pricing tier applies
    Given the customer pays 0.50 USD for BOLT from 1,000 pieces up
    And the tenant prices from the last sales invoice
    And the customer was last invoiced BOLT at 0.70 USD on 2026-02-15
    And the customer's default price list is "WHOLESALE"
    When the price of 50 BOLT is resolved
    Then the price is 0.70 USD from the last sales invoice
    And the pricing tier was passed over: "No pricing tier for item BOLT at quantity 50 on 2026-03-02."

  @R-7.2
  Scenario: The default price list wins when the tenant does not price from the last invoice
    Given the tenant does not price from the last sales invoice
    And the customer was last invoiced BOLT at 0.70 USD on 2026-02-15
    And the customer's default price list is "WHOLESALE"
    When the price of 50 BOLT is resolved
    Then the price is 0.85 USD from price list "WHOLESALE"
    And the pricing tier was passed over: "No pricing tier for item BOLT at quantity 50 on 2026-03-02."
    And the last sales invoice was passed over: "Last-price pricing (use_last_price) is off."

  @R-7.2
  Scenario: The default price list wins when the customer was never invoiced the item
    Given the tenant prices from the last sales invoice
    And the customer's default price list is "WHOLESALE"
    When the price of 50 BOLT is resolved
    Then the price is 0.85 USD from price list "WHOLESALE"
    And the last sales invoice was passed over: "No earlier sales invoice for item BOLT."

  @R-7.2
  Scenario: The standard price list wins when the default list has no line for the item
    Given the customer's default price list is "WHOLESALE"
    When the price of 10 NUT is resolved
    Then the price is 0.20 USD from the standard price list "STD"
    And the default price list was passed over: "Price list WHOLESALE has no line for item NUT at quantity 10 valid on 2026-03-02."

  @R-7.2
  Scenario: The standard price list wins when the customer has no default price list
    When the price of 10 BOLT is resolved
    Then the price is 1.00 USD from the standard price list "STD"
    And the sources passed over were: pricing tier, last sales invoice, default price list
    And the default price list was passed over: "The customer has no default price list."

  @R-7.2
  Scenario: No source has a price: the answer is "no price", never zero
    Given the customer's default price list is "WHOLESALE"
    When the price of 10 WIDGET is resolved
    Then there is no price
    And the sources passed over were: pricing tier, last sales invoice, default price list, standard price list

  @R-7.2
  Scenario: Without a standard price list the tenant says so
    Given the tenant has no standard price list
    When the price of 10 BOLT is resolved
    Then there is no price
    And the standard price list was passed over: "The tenant has no standard price list."

  # -------------------------------------------------------------------------
  # Quantity breaks and validity (R-7.1, R-7.2)
  # -------------------------------------------------------------------------

  @R-7.1 @R-7.2
  Scenario Outline: A price list line with the greatest minimum quantity not above the quantity applies
    When the price of <quantity> BOLT is resolved
    Then the price is <price> USD from the standard price list "STD"

    Examples:
      | quantity | price |
      | 1        | 1.00  |
      | 99       | 1.00  |
      | 100      | 0.90  |
      | 499      | 0.90  |
      | 500      | 0.80  |
      | 10000    | 0.80  |

  @R-7.1 @R-7.2
  Scenario Outline: A price list line applies only on the days it is valid, both ends included
    Given the price list "SPRING" in USD reads:
      | item | unit price | from quantity | valid from | valid to   |
      | BOLT | 0.60       | 0             | 2026-03-01 | 2026-03-31 |
      | BOLT | 0.95       | 0             |            |            |
    And the customer's default price list is "SPRING"
    When the price of 10 BOLT on <date> is resolved
    Then the price is <price> USD from price list "SPRING"

    Examples:
      | date       | price |
      | 2026-02-28 | 0.95  |
      | 2026-03-01 | 0.60  |
      | 2026-03-31 | 0.60  |
      | 2026-04-01 | 0.95  |

  @R-7.2
  Scenario Outline: A pricing tier applies within its quantities and its dates
    Given the customer pays 0.50 USD for BOLT from 10 to 100 pieces between 2026-01-01 and 2026-03-31
    When the price of <quantity> BOLT on <date> is resolved
    Then the price comes from <source>

    Examples:
      | quantity | date       | source                         |
      | 10       | 2026-03-02 | the customer's pricing tier    |
      | 100      | 2026-03-31 | the customer's pricing tier    |
      | 9        | 2026-03-02 | the standard price list "STD"  |
      | 101      | 2026-03-02 | the standard price list "STD"  |
      | 50       | 2025-12-31 | the standard price list "STD"  |
      | 50       | 2026-04-01 | the standard price list "STD"  |

  @R-7.2
  Scenario: Of two tiers that both apply, the one for the larger quantity wins
    Given the customer pays 0.50 USD for BOLT from 10 pieces up
    And the customer pays 0.45 USD for BOLT from 100 pieces up
    When the price of 150 BOLT is resolved
    Then the price is 0.45 USD from the customer's pricing tier

  # -------------------------------------------------------------------------
  # Settings and legal entities (R-7.1, R-7.2)
  # -------------------------------------------------------------------------

  @R-7.2
  Scenario Outline: Pricing from the last sales invoice is a tenant setting
    Given the tenant <does or does not> price from the last sales invoice
    And the customer was last invoiced BOLT at 0.70 USD on 2026-02-15
    And the customer's default price list is "WHOLESALE"
    When the price of 50 BOLT is resolved
    Then the price is <price> USD from <source>

    Examples:
      | does or does not | price | source                    |
      | does             | 0.70  | the last sales invoice    |
      | does not         | 0.85  | price list "WHOLESALE"    |

  @R-7.2
  Scenario: A rate from an older invoice never replaces a newer one
    Given the tenant prices from the last sales invoice
    And the customer was last invoiced BOLT at 0.70 USD on 2026-02-15
    And the customer was last invoiced BOLT at 0.65 USD on 2026-01-10
    When the price of 50 BOLT is resolved
    Then the price is 0.70 USD from the last sales invoice

  @R-7.1 @R-2.2
  Scenario Outline: A legal entity's own default price list replaces the master's
    Given the customer is also enabled for Acme Singapore (SG01)
    And the customer's default price list is "WHOLESALE"
    And Acme Singapore (SG01) gives the customer the default price list "ASIA"
    When the price of 50 BOLT for <entity> is resolved
    Then the price is <price> from price list "<list>"

    Examples:
      | entity                | price    | list      |
      | Acme Singapore (SG01) | 1.15 SGD | ASIA      |
      | Acme Inc (US01)       | 0.85 USD | WHOLESALE |
