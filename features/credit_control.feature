Feature: Credit control
  Before an order, a delivery or an invoice goes out on credit, the customer's exposure
  is weighed against the credit limit. Exposure is what the customer owes on open
  invoices, less credits not yet applied, plus orders not yet invoiced, plus the
  document in hand. A customer on credit hold, inactive, or not enabled for the legal
  entity is stopped whatever the figures. Every decision says why, with the figures.

  Background:
    Given today is 2026-03-02
    And "Globe Trading" is a customer of Acme Inc (US01) buying in USD

  # -------------------------------------------------------------------------
  # Exposure (R-5.1)
  # -------------------------------------------------------------------------

  @R-5.1 @R-5.6
  Scenario: Exposure is open invoices less unapplied credits, plus open orders, plus the document
    Given the customer has a credit limit of 100,000.00 USD
    And the customer owes invoice "INV-1" of 15,000.00 USD due 2026-03-31
    And the customer has an unapplied credit note "CN-1" of 2,000.00 USD
    And the customer has sales order "SO-1" of 4,000.00 USD not yet invoiced
    When a sales order of 10,000.00 USD is checked
    Then the credit decision is "approved"
    And the exposure is 13,000.00 USD on open invoices, 4,000.00 USD on open orders and 10,000.00 USD for this document
    And the total exposure is 27,000.00 USD
    And 73,000.00 USD of credit is available

  @R-5.1
  Scenario: Invoices and orders of another legal entity do not count
    Given the customer is also enabled for Acme Singapore (SG01)
    And the customer has a credit limit of 20,000.00 USD
    And the customer owes invoice "INV-SG" of 15,000.00 USD due 2026-03-31 to Acme Singapore (SG01)
    When a sales order of 10,000.00 USD is checked
    Then the credit decision is "approved"
    And the total exposure is 10,000.00 USD

  @R-5.1
  Scenario: A document in another currency is converted at the day's exchange rate
    Given the customer has a credit limit of 1,000.00 USD
    And one EUR buys 1.10 USD
    When a sales order of 950.00 EUR is checked
    Then the exposure for this document is 1,045.00 USD
    And the credit decision is "blocked" because the customer is over the limit

  @R-5.1
  Scenario: A document in a currency without an exchange rate is refused clearly
    Given the customer has a credit limit of 1,000,000.00 USD
    When a sales order of 100.00 EUR is checked
    Then the check is refused because there is no exchange rate from EUR to USD

  @R-5.1
  Scenario: An open invoice in a currency without an exchange rate is refused clearly
    Given the customer has a credit limit of 1,000,000.00 USD
    And the customer owes invoice "INV-GBP" of 100.00 GBP due 2026-03-31
    When a sales order of 100.00 USD is checked
    Then the check is refused because there is no exchange rate from GBP to USD

  # -------------------------------------------------------------------------
  # The credit limit (R-5.2)
  # -------------------------------------------------------------------------

  @R-5.2 @R-5.6
  Scenario Outline: The limit is exceeded only when exposure is strictly greater than it
    Given the customer has a credit limit of <limit>
    And the customer owes <owed> USD on open invoices not yet due
    When a sales order of <order> USD is checked
    Then the credit decision is "<decision>"
    And the reasons are: <reasons>
    And the available credit is <available>

    Examples: the worked examples, the boundary, no credit and no limit
      | limit            | owed         | order        | decision | reasons            | available        |
      | 20,000.00 USD    | 15,000.00    | 10,000.00    | blocked  | over the limit     | -5,000.00 USD    |
      | 50,000.00 USD    | 0.00         | 50,000.00    | approved | none               | 0.00 USD         |
      | 50,000.00 USD    | 0.00         | 50,000.01    | blocked  | over the limit     | -0.01 USD        |
      | 50,000.00 USD    | 49,999.99    | 0.01         | approved | none               | 0.00 USD         |
      | 0.00 USD         | 0.00         | 0.01         | blocked  | over the limit     | -0.01 USD        |
      | no limit         | 1,000,000.00 | 5,000,000.00 | approved | none               | unlimited        |

  @R-5.2
  Scenario: A limit of zero means no credit at all
    Given the customer has a credit limit of 0.00 USD
    When a sales order of 1.00 USD is checked
    Then the credit decision is "blocked" because the customer is over the limit
    And the explanation says "No credit is allowed (limit 0); exposure is 1.00 USD."

  @R-5.2 @R-2.2
  Scenario: The legal entity's own credit limit replaces the master's
    Given the customer is also enabled for Acme Singapore (SG01)
    And the customer has a credit limit of 100,000.00 USD
    And Acme Singapore (SG01) gives the customer a credit limit of 500.00 USD
    When a sales order of 600.00 USD is checked for Acme Singapore (SG01)
    Then the credit decision is "blocked" because the customer is over the limit
    And the limit shown is 500.00 USD

  # -------------------------------------------------------------------------
  # Credit hold (R-5.3)
  # -------------------------------------------------------------------------

  @R-5.3 @R-5.6
  Scenario: A customer on credit hold is blocked whatever the figures
    Given the customer has no credit limit
    And the customer owes nothing
    And "ana" puts the customer on credit hold because "Cheque bounced twice"
    When a sales order of 1.00 USD is checked
    Then the credit decision is "blocked"
    And the reasons are: on credit hold
    And the hold records the reason "Cheque bounced twice", set by "ana" on 2026-03-02

  @R-5.3
  Scenario: Lifting the credit hold lets documents through again
    Given the customer has a credit limit of 5,000.00 USD
    And "ana" puts the customer on credit hold because "Awaiting signed guarantee"
    When "ana" lifts the credit hold
    And a sales order of 1,000.00 USD is checked
    Then the credit decision is "approved"

  @R-5.3 @R-2.2
  Scenario: A hold on one legal entity's account blocks only that entity
    Given the customer is also enabled for Acme Singapore (SG01)
    And the customer has a credit limit of 50,000.00 USD
    And "ana" puts the customer's account with Acme Singapore (SG01) on credit hold because "Dispute in Singapore"
    When a sales order of 1,000.00 USD is checked for Acme Singapore (SG01)
    Then the credit decision is "blocked"
    And the reasons are: on credit hold
    When a sales order of 1,000.00 USD is checked for Acme Inc (US01)
    Then the credit decision is "approved"

  # -------------------------------------------------------------------------
  # Overdue invoices (R-5.4)
  # -------------------------------------------------------------------------

  @R-5.4
  Scenario Outline: An invoice unpaid past its due date blocks new credit
    Given the customer has a credit limit of 100,000.00 USD
    And the tenant allows <grace> grace days for overdue invoices
    And the customer owes invoice "INV-7" of 1,000.00 USD dated 2026-01-01 on Net 30 terms
    And today is <today>
    When a sales order of 100.00 USD is checked
    Then the credit decision is "<decision>"
    And the reasons are: <reasons>

    Examples: Net 30, due on 2026-01-31
      | grace | today      | decision | reasons |
      | 0     | 2026-01-31 | approved | none    |
      | 0     | 2026-02-01 | blocked  | overdue |
      | 5     | 2026-02-05 | approved | none    |
      | 5     | 2026-02-06 | blocked  | overdue |

  @R-5.4
  Scenario: A paid invoice is never overdue
    Given the customer has a credit limit of 100,000.00 USD
    And the customer has paid invoice "INV-8" of 1,000.00 USD dated 2025-11-01 on Net 30 terms in full
    When a sales order of 100.00 USD is checked
    Then the credit decision is "approved"

  @R-5.4
  Scenario: The overdue block can be switched off
    Given the customer has a credit limit of 100,000.00 USD
    And the tenant does not block customers for overdue invoices
    And the customer owes invoice "INV-7" of 1,000.00 USD dated 2025-12-01 on Net 30 terms
    When a sales order of 100.00 USD is checked
    Then the credit decision is "approved"

  # -------------------------------------------------------------------------
  # Credit policy (R-5.5)
  # -------------------------------------------------------------------------

  @R-5.5 @R-5.6
  Scenario Outline: The credit policy decides what the figures do
    Given the tenant's credit policy is "<policy>"
    And the customer has a credit limit of 20,000.00 USD
    And the customer owes invoice "INV-7" of 15,000.00 USD dated 2026-01-01 on Net 30 terms
    When a sales order of 10,000.00 USD is checked
    Then the credit decision is "<decision>"
    And the reasons are: <reasons>

    Examples:
      | policy | decision | reasons                 |
      | block  | blocked  | overdue, over the limit |
      | warn   | warning  | overdue, over the limit |
      | off    | approved | none                    |

  @R-5.5
  Scenario Outline: A customer group may have its own credit policy
    Given the tenant's credit policy is "block"
    And customers in group "retail" follow credit policy "warn"
    And the customer belongs to customer group "<group>"
    And the customer has a credit limit of 1,000.00 USD
    When a sales order of 2,000.00 USD is checked
    Then the credit decision is "<decision>"
    And the policy applied is "<policy applied>"

    Examples:
      | group     | decision | policy applied |
      | retail    | warning  | warn           |
      | wholesale | blocked  | block          |

  @R-5.5 @R-5.3 @R-2.3
  Scenario Outline: Hold, inactive customer and entity not enabled block under every policy
    Given the tenant's credit policy is "<policy>"
    And the customer has no credit limit
    And <situation>
    When a sales order of 1.00 USD is checked for <entity>
    Then the credit decision is "blocked"
    And the reasons are: <reasons>

    Examples:
      | policy | situation                                                    | entity                | reasons                          |
      | block  | "ana" puts the customer on credit hold because "Fraud check" | Acme Inc (US01)       | on credit hold                   |
      | warn   | "ana" puts the customer on credit hold because "Fraud check" | Acme Inc (US01)       | on credit hold                   |
      | off    | "ana" puts the customer on credit hold because "Fraud check" | Acme Inc (US01)       | on credit hold                   |
      | warn   | the customer has been deactivated                            | Acme Inc (US01)       | inactive                         |
      | off    | the customer has been deactivated                            | Acme Inc (US01)       | inactive                         |
      | warn   | the customer owes nothing                                    | Acme Singapore (SG01) | not enabled for the legal entity |
      | off    | the customer owes nothing                                    | Acme Singapore (SG01) | not enabled for the legal entity |

  @R-5.5 @R-5.6
  Scenario: The decision is the most severe of its reasons
    Given the tenant's credit policy is "warn"
    And the customer has a credit limit of 1,000.00 USD
    And "ana" puts the customer on credit hold because "Legal dispute"
    When a sales order of 2,000.00 USD is checked
    Then the credit decision is "blocked"
    And the reasons are: on credit hold, over the limit
    And the customer being over the limit is only a warning

  # -------------------------------------------------------------------------
  # What a decision tells (R-5.6)
  # -------------------------------------------------------------------------

  @R-5.6
  Scenario: The SPEC worked example explains itself with every figure
    Given the customer has a credit limit of 20,000.00 USD
    And the customer owes invoice "INV-7" of 15,000.00 USD dated 2026-01-01 on Net 30 terms
    And "ana" puts the customer on credit hold because "Collections review"
    When a sales order of 10,000.00 USD is checked
    Then the credit decision is "blocked"
    And the reasons are: on credit hold, overdue, over the limit
    And the limit shown is 20,000.00 USD
    And the exposure is 15,000.00 USD on open invoices, 0.00 USD on open orders and 10,000.00 USD for this document
    And the total exposure is 25,000.00 USD
    And the available credit is -5,000.00 USD
    And the figures are in USD
    And the explanation says "Exposure of 25,000.00 USD exceeds the credit limit of 20,000.00 USD by 5,000.00 USD."
    And the explanation says "An open invoice is 30 days past due, more than the 0 grace days allowed."

  # -------------------------------------------------------------------------
  # Releasing a blocked document, and where the check runs (R-5.7)
  # -------------------------------------------------------------------------

  @R-5.7
  Scenario: A credit controller releases a blocked order once
    Given the customer has a credit limit of 20,000.00 USD
    And the customer owes 15,000.00 USD on open invoices not yet due
    And "carla" is a credit controller allowed to override credit decisions
    When sales order "SO-100" of 10,000.00 USD is checked
    Then the credit decision is "blocked" because the customer is over the limit
    When "carla" releases sales order "SO-100" because "Customer paid by wire this morning"
    And sales order "SO-100" of 10,000.00 USD is checked
    Then the order passes the credit check
    And the decision says the document was released
    And the audit trail records that "carla" released "SO-100" because "Customer paid by wire this morning"
    When sales order "SO-100" of 10,000.00 USD is checked
    Then the credit decision is "blocked" because the customer is over the limit

  @R-5.7
  Scenario: A release lets through only the document it names
    Given the customer has a credit limit of 20,000.00 USD
    And the customer owes 15,000.00 USD on open invoices not yet due
    And "carla" is a credit controller allowed to override credit decisions
    When "carla" releases sales order "SO-100" because "Customer paid by wire this morning"
    And sales order "SO-101" of 10,000.00 USD is checked
    Then the credit decision is "blocked" because the customer is over the limit

  @R-5.7
  Scenario: A user without the credit override permission cannot release a document
    Given the customer has a credit limit of 20,000.00 USD
    And the customer owes 15,000.00 USD on open invoices not yet due
    And "sam" is a sales administrator without credit override
    When "sam" tries to release sales order "SO-100" because "Good customer"
    Then the release is refused for want of the credit override permission
    When sales order "SO-100" of 10,000.00 USD is checked
    Then the credit decision is "blocked" because the customer is over the limit

  @R-5.7 @R-5.3
  Scenario: A release does not lift a credit hold, and waits until the hold is lifted
    Given the customer has a credit limit of 20,000.00 USD
    And the customer owes 15,000.00 USD on open invoices not yet due
    And "carla" is a credit controller allowed to override credit decisions
    And "ana" puts the customer on credit hold because "Collections review"
    When "carla" releases sales order "SO-100" because "Approved by the CFO"
    And sales order "SO-100" of 10,000.00 USD is checked
    Then the credit decision is "blocked"
    And the reasons are: on credit hold, over the limit
    When "ana" lifts the credit hold
    And sales order "SO-100" of 10,000.00 USD is checked
    Then the order passes the credit check

  @R-5.7 @R-5.1
  Scenario: At invoice time the order being invoiced is not counted twice
    Given the customer has a credit limit of 20,000.00 USD
    And the customer owes 5,000.00 USD on open invoices not yet due
    And the customer has sales order "SO-1" of 15,000.00 USD not yet invoiced
    When an invoice of 15,000.00 USD is checked
    Then the credit decision is "approved"
    And the exposure is 5,000.00 USD on open invoices, 0.00 USD on open orders and 15,000.00 USD for this document
    When a sales order of 15,000.00 USD is checked
    Then the credit decision is "blocked" because the customer is over the limit

  @R-5.7
  Scenario: Quotations are not credit-checked unless the host asks for it
    Given the customer has a credit limit of 0.00 USD
    When a quotation of 1,000.00 USD is checked
    Then the credit decision is "approved"
    And the policy applied is "off"
