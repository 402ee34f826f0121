Feature: The receivables feed
  The accounting module of the host keeps the invoices; the customer master keeps what
  it is told of them, per customer and legal entity, so that a credit check knows what
  the customer owes. The host feeds each invoice (number, date, due date, amount and the
  balance still unpaid), each credit note or payment not yet applied, and each sales
  order not yet invoiced. When a document changes - an invoice part paid, an order
  amended - the host sends it again and the new one takes the place of the old.

  Background:
    Given today is 2026-03-02
    And "Globe Trading" buys in USD from Acme Inc (US01) and Acme Singapore (SG01)
    And the customer has a credit limit of 100,000.00 USD

  @R-13.1
  Scenario: The documents the host feeds are kept as they were sent
    When the host feeds these documents for the customer:
      | document    | number | entity | date       | due date   | amount    | balance   |
      | invoice     | INV-1  | US01   | 2026-02-01 | 2026-03-03 | 15,000.00 | 12,500.00 |
      | credit note | CN-1   | US01   | 2026-02-10 |            | 2,000.00  | 2,000.00  |
      | payment     | PAY-1  | SG01   | 2026-02-20 |            | 1,000.00  | 400.00    |
    Then the customer's open items are:
      | document    | number | entity | date       | due date   | amount    | balance   |
      | invoice     | INV-1  | US01   | 2026-02-01 | 2026-03-03 | 15,000.00 | 12,500.00 |
      | credit note | CN-1   | US01   | 2026-02-10 |            | 2,000.00  | 2,000.00  |
      | payment     | PAY-1  | SG01   | 2026-02-20 |            | 1,000.00  | 400.00    |

  @R-13.1 @R-5.1
  Scenario Outline: The credit check reads each kind of document the host fed
    Given the host fed <document> "<number>" of <amount> USD for Acme Inc (US01)
    When a sales order of 1,000.00 USD is checked for Acme Inc (US01)
    Then the exposure is <owed> USD on open invoices and <ordered> USD on open orders

    Examples:
      | document    | number | amount   | owed      | ordered  |
      | invoice     | INV-1  | 5,000.00 | 5,000.00  | 0.00     |
      | credit note | CN-1   | 2,000.00 | -2,000.00 | 0.00     |
      | payment     | PAY-1  | 1,500.00 | -1,500.00 | 0.00     |
      | sales order | SO-1   | 3,000.00 | 0.00      | 3,000.00 |

  @R-13.1
  Scenario Outline: A document sent again replaces the one kept, so it never counts twice
    Given the host fed <document> "<number>" of 8,000.00 USD for Acme Inc (US01)
    When the host sends <document> "<number>" again with <change>
    And a sales order of 1,000.00 USD is checked for Acme Inc (US01)
    Then the exposure is <owed> USD on open invoices and <ordered> USD on open orders

    Examples:
      | document    | number | change                    | owed      | ordered  |
      | invoice     | INV-7  | a balance of 3,000.00 USD | 3,000.00  | 0.00     |
      | invoice     | INV-7  | a balance of 0.00 USD     | 0.00      | 0.00     |
      | invoice     | INV-7  | a balance of 8,000.00 USD | 8,000.00  | 0.00     |
      | credit note | CN-7   | a balance of 500.00 USD   | -500.00   | 0.00     |
      | sales order | SO-7   | an amount of 6,500.00 USD | 0.00      | 6,500.00 |

  @R-13.1
  Scenario: An invoice sent again keeps one open item with the new balance
    Given the host fed invoice "INV-7" of 8,000.00 USD for Acme Inc (US01)
    When the host sends invoice "INV-7" again with a balance of 3,000.00 USD
    Then the customer's open items are:
      | document | number | entity | date       | due date   | amount   | balance  |
      | invoice  | INV-7  | US01   | 2026-02-01 | 2026-03-03 | 8,000.00 | 3,000.00 |

  @R-13.1 @R-5.1
  Scenario Outline: Documents of one legal entity do not count for another
    Given the host fed invoice "INV-US" of 1,000.00 USD for Acme Inc (US01)
    And the host fed invoice "INV-SG" of 15,000.00 USD for Acme Singapore (SG01)
    And the host fed sales order "SO-SG" of 4,000.00 USD for Acme Singapore (SG01)
    And the host fed invoice "INV-7" of 700.00 USD for Acme Singapore (SG01)
    And the host fed invoice "INV-7" of 300.00 USD for Acme Inc (US01)
    When a sales order of 1,000.00 USD is checked for <entity>
    Then the exposure is <owed> USD on open invoices and <ordered> USD on open orders

    Examples:
      | entity                | owed      | ordered  |
      | Acme Inc (US01)       | 1,300.00  | 0.00     |
      | Acme Singapore (SG01) | 15,700.00 | 4,000.00 |

  @R-13.1
  Scenario: A host in another process feeds the documents over the HTTP API
    When the host posts these documents over the HTTP API for Acme Inc (US01):
      | document    | number | amount   |
      | invoice     | INV-9  | 9,000.00 |
      | credit note | CN-9   | 1,000.00 |
      | payment     | PAY-9  | 500.00   |
      | sales order | SO-9   | 2,000.00 |
    And the host posts invoice "INV-9" again over the HTTP API with a balance of 6,000.00 USD
    And a sales order of 1,000.00 USD is checked for Acme Inc (US01)
    Then the exposure is 4,500.00 USD on open invoices and 2,000.00 USD on open orders
