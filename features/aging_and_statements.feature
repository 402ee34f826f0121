Feature: Aging and statements of account
  The AR team chases money with two things: the aging — what each customer owes, by how
  long it is overdue — and the statement of account they send the customer. Both read
  the documents the host's accounting feeds: invoices, payments and credit notes, each
  payment applied to the invoices it settles, and documents reversed when entered in error.

  Background:
    Given today is 2026-04-02
    And "Globe Trading" buys in MYR from Acme Malaysia (MY01), its accounts contact is "ap@globe.example"

  @R-13.1
  Scenario: A payment applied to an invoice settles it and leaves the rest open
    Given the host fed invoice "INV-1" of 1,000.00 MYR dated 2026-02-01 due 2026-03-03
    And the host fed payment "PAY-1" of 600.00 MYR dated 2026-03-10
    When the host applies 600.00 MYR of payment "PAY-1" to invoice "INV-1" on 2026-03-10
    Then invoice "INV-1" has a balance of 400.00 MYR
    And payment "PAY-1" has a balance of 0.00 MYR

  @R-13.1
  Scenario: A payment is not applied for more than the invoice still owes
    Given the host fed invoice "INV-1" of 1,000.00 MYR dated 2026-02-01 due 2026-03-03
    And the host fed payment "PAY-1" of 1,500.00 MYR dated 2026-03-10
    When the host applies 1,200.00 MYR of payment "PAY-1" to invoice "INV-1" on 2026-03-10
    Then the application is refused: "amount: is more than the invoice's balance 1000.00"
    And invoice "INV-1" has a balance of 1,000.00 MYR

  @R-13.1 @R-13.2
  Scenario: An invoice entered in error is reversed and no longer owed
    Given the host fed invoice "INV-9" of 700.00 MYR dated 2026-03-01 due 2026-03-31
    When the host reverses invoice "INV-9" on 2026-03-05
    Then the aging as of 2026-03-31 shows nothing owed
    And the aging as of 2026-03-04 shows 700.00 MYR current

  @R-13.2
  Scenario Outline: Each open invoice falls in the bucket of its days past due
    Given the host fed invoice "INV-1" of 250.00 MYR dated 2025-11-01 due <due>
    Then the aging as of 2026-03-31 shows 250.00 MYR <bucket>

    Examples:
      | due        | bucket       |
      | 2026-04-30 | current      |
      | 2026-03-31 | current      |
      | 2026-03-30 | 1–30 days    |
      | 2026-03-01 | 1–30 days    |
      | 2026-02-28 | 31–60 days   |
      | 2026-01-30 | 31–60 days   |
      | 2026-01-29 | 61–90 days   |
      | 2025-12-31 | 61–90 days   |
      | 2025-12-30 | over 90 days |

  @R-13.2
  Scenario: The aging as of an earlier date adds back what was paid later
    Given the host fed invoice "INV-1" of 1,000.00 MYR dated 2026-01-15 due 2026-02-14
    And the host fed payment "PAY-1" of 1,000.00 MYR dated 2026-03-20
    And the host applied 1,000.00 MYR of payment "PAY-1" to invoice "INV-1" on 2026-03-20
    Then the aging as of 2026-03-31 shows nothing owed
    And the aging as of 2026-03-15 shows 1,000.00 MYR 1–30 days

  @R-13.2 @R-12.2
  Scenario: A reader without view_sensitive sees who owes, not how much
    Given the host fed invoice "INV-1" of 1,000.00 MYR dated 2026-01-15 due 2026-02-14
    When a viewer reads the aging as of 2026-03-31
    Then the aging lists "Globe Trading" with its figures masked

  @R-13.3
  Scenario: The statement shows the opening balance, each document with its running balance, and the closing balance
    Given the host fed invoice "INV-1" of 1,000.00 MYR dated 2026-02-01 due 2026-03-03
    And the host fed invoice "INV-2" of 2,500.00 MYR dated 2026-03-05 due 2026-04-04
    And the host fed payment "PAY-1" of 1,000.00 MYR dated 2026-03-20
    And the host applied 1,000.00 MYR of payment "PAY-1" to invoice "INV-1" on 2026-03-20
    And the host fed credit note "CN-1" of 100.00 MYR dated 2026-03-25
    When the statement for March 2026 from Acme Malaysia (MY01) is made
    Then the statement opens with 1,000.00 MYR
    And its documents are:
      | date       | document    | number | debit    | credit   | balance  |
      | 2026-03-05 | Invoice     | INV-2  | 2,500.00 |          | 3,500.00 |
      | 2026-03-20 | Payment     | PAY-1  |          | 1,000.00 | 2,500.00 |
      | 2026-03-25 | Credit note | CN-1   |          | 100.00   | 2,400.00 |
    And the statement closes with 2,400.00 MYR
    And its aging shows 2,500.00 MYR current and -100.00 MYR 1–30 days

  @R-13.3 @R-11.3
  Scenario: A statement is sent once to the accounts contact, with the PDF, and shows on the timeline
    Given the host fed invoice "INV-1" of 1,000.00 MYR dated 2026-02-01 due 2026-03-03
    When the statement for March 2026 from Acme Malaysia (MY01) is sent
    And the statement for March 2026 from Acme Malaysia (MY01) is sent again
    Then one message went to "ap@globe.example" with the statement's PDF attached
    And the second send answered "already_sent"
    And the customer's timeline says "sent a statement of account"

  @R-13.3
  Scenario: A send that fails is tried again and reported, and goes out when the mail server is back
    Given the host fed invoice "INV-1" of 1,000.00 MYR dated 2026-02-01 due 2026-03-03
    And the mail server refuses every message
    When the statement for March 2026 from Acme Malaysia (MY01) is sent
    Then the send is reported "failed" after 3 tries
    When the mail server is back
    And the statement for March 2026 from Acme Malaysia (MY01) is sent again
    Then one message went to "ap@globe.example" with the statement's PDF attached
