Feature: What the rules read from the host: last prices, entities, exact numbers
  Price resolution may price at the customer's last invoiced rate. That rate comes from
  the invoices the host reports — or from the host's own last-price port — and only an
  invoice of the document's date or earlier, in the document's currency, counts. Prices
  and schedules are answered only for an entity the customer is enabled for, and every
  quantity and amount is an exact number.

  Background:
    Given "Globe Trading" buys in USD from Acme Inc (US01), and last-price pricing is on for the tenant
    And the customer was invoiced item "BOLT" at these rates:
      | invoiced on | unit price | currency |
      | 2026-01-10  | 1.10       | USD      |
      | 2026-02-10  | 1.20       | USD      |
      | 2026-02-20  | 1.05       | EUR      |
      | 2026-03-10  | 1.30       | USD      |

  @R-7.2
  Scenario Outline: Only an invoice dated on or before the document's date counts
    When item "BOLT" is priced for a USD document dated <date>
    Then the price is <price> USD from the last sales invoice

    Examples:
      | date       | price |
      | 2026-01-10 | 1.10  |
      | 2026-02-28 | 1.20  |
      | 2026-03-10 | 1.30  |

  @R-7.2
  Scenario: A newer invoice in another currency is passed over, and named
    When item "BOLT" is priced for a USD document dated 2026-02-25
    Then the price is 1.20 USD from the last sales invoice
    And the explanation says "The sales invoice of 2026-02-20 for item BOLT is in EUR, not in the document's USD."

  @R-7.2
  Scenario: With no invoice in the document's currency, the last price does not apply
    When item "BOLT" is priced for a GBP document dated 2026-03-31
    Then no price is found
    And the explanation names the invoices in USD and EUR as passed over

  @R-7.2
  Scenario Outline: The customer, and its entity override, may set last-price pricing otherwise
    Given the customer's own last-price setting is <customer> and its US01 override's is <override>
    When item "BOLT" is priced for a USD document dated 2026-03-31
    Then the price comes from <source>

    Examples:
      | customer | override | source                   |
      | unset    | unset    | the last sales invoice   |
      | off      | unset    | nowhere                  |
      | off      | on       | the last sales invoice   |
      | unset    | off      | nowhere                  |

  @R-7.2
  Scenario: A host answers last prices with its own port
    Given the host answers last prices itself: "BOLT" last invoiced at 2.50 USD on 2026-03-01
    When item "BOLT" is priced for a USD document dated 2026-03-31
    Then the price is 2.50 USD from the last sales invoice

  @R-7.3
  Scenario Outline: A price or schedule for an entity the customer is not enabled for is refused
    When <question> is asked for Acme Singapore (SG01)
    Then it is refused with "not_enabled_for_entity"

    Examples:
      | question                  |
      | the price of item "BOLT"  |
      | the payment schedule      |

  @R-7.3
  Scenario Outline: Quantities and amounts are read from any exact number, never a float
    When item "BOLT" is priced for <quantity> on 2026-03-31
    Then <outcome>

    Examples:
      | quantity                   | outcome                                                 |
      | the integer 12             | the price is 1.30 USD from the last sales invoice       |
      | the decimal string "12.5"  | the price is 1.30 USD from the last sales invoice       |
      | the Decimal 12.500         | the price is 1.30 USD from the last sales invoice       |
      | the float 12.5             | the quantity is refused: "must be an exact number (an integer, a decimal string or a Decimal), not a float" |
