Feature: Importing and exporting customers in bulk
  Companies bring thousands of customers over from CRMs and legacy systems, and fill in
  missing details (tax ids for e-invoicing) by exporting the list, editing it in a
  spreadsheet and importing it back. Every rejected row is explained with its row,
  column and message; a customer is never created twice; and an import cut off half-way
  can simply be run again.

  Background:
    Given a tenant with legal entities MY01, SG01 and US01

  # -------------------------------------------------------------------------
  # What a file may hold
  # -------------------------------------------------------------------------

  @R-9.1
  Scenario: A spreadsheet with addresses, contacts and tax ids in columns creates customers
    When this file is imported:
      | name                 | kind    | legal_entity | email           | tax_id_scheme | tax_id_number  | address_line1  | address_city | address_country | contact_name |
      | Acme Trading Sdn Bhd | company | MY01         | ap@acme.example | my.brn        | 201901000005-x | 1 Jalan Ampang | Kuala Lumpur | Malaysia        | Siti Rahman  |
      | Kedai Ali            | company | MY01         | ali@kedai.example |             |                | 9 Jalan Kebun  | Klang        | MY              |              |
    Then the import reports 2 created, 0 updated, 0 skipped and 0 failed
    And customer "Acme Trading Sdn Bhd" has tax id "201901000005-X"
    And customer "Acme Trading Sdn Bhd" has a billing address in "MY" and contact "Siti Rahman"

  @R-9.1 @R-9.3
  Scenario: A Salesforce accounts export imports, and importing it again creates nothing
    Given companies do not need an e-mail address in this tenant
    When this Salesforce accounts export is imported for MY01:
      | Id              | Name          | BillingStreet   | BillingCity | BillingCountry | OwnerId |
      | 0015g00000AbCdE | Pacific Foods | 12 Harbour Road | Klang       | Malaysia       | 005xx   |
    Then the import reports 1 created, 0 updated, 0 skipped and 0 failed
    And customer "Pacific Foods" came from "salesforce" record "0015g00000AbCdE"
    When the same export is imported again
    Then the import reports 0 created, 0 updated, 1 skipped and 0 failed
    And row 2 was skipped because "salesforce reference 0015g00000AbCdE" matches customer "CUS-0001"

  # -------------------------------------------------------------------------
  # Validation levels: every problem with row, column and message
  # -------------------------------------------------------------------------

  @R-9.2
  Scenario Outline: A row with a wrong value fails with its row, column and message
    Given the tenant has payment terms NET30
    When this file is imported:
      | name | kind    | legal_entity | email           | <column> |
      | Good | company | MY01         | ok@good.example |          |
      | Acme | company | MY01         | ap@acme.example | <value>  |
    Then the import reports 1 created, 0 updated, 0 skipped and 1 failed
    And row 3 fails on column "<column>" with "<message>"

    Examples: field, reference and business-rule levels
      | column        | value      | message                              |
      | currency      | RINGGIT    | must be at most 3 characters         |
      | currency      | ZZZ        | is not an ISO 4217 currency code     |
      | credit_limit  | -5         | must be at least 0                   |
      | payment_terms | NET99      | no payment terms with code 'NET99'   |
      | customer_type | wholesaler | must be one of: retail               |
      | website       | ftp://x    | must be an absolute http(s) URL      |

  @R-9.2 @R-9.3
  Scenario: A second row with the same e-mail in one file is a duplicate of the first
    When this file is imported:
      | name        | kind    | legal_entity | email           |
      | Acme        | company | MY01         | ap@acme.example |
      | Acme (copy) | company | MY01         | AP@ACME.example |
    Then the import reports 1 created, 0 updated, 1 skipped and 0 failed
    And row 3 was skipped because "e-mail ap@acme.example" matches customer "CUS-0001"

  @R-9.2
  Scenario: A warning does not stop a row
    When this file is imported:
      | name | kind    | legal_entity | email           | credit_limit |
      | Acme | company | MY01         | ap@acme.example | 2500000      |
    Then the import reports 1 created, 0 updated, 0 skipped and 0 failed
    And row 2 warns on column "credit_limit" with "please double-check"

  # -------------------------------------------------------------------------
  # Duplicates against the store, and what to do with them
  # -------------------------------------------------------------------------

  @R-9.3
  Scenario Outline: A row is matched to a stored customer by reference, then tax id, then e-mail
    Given this file was imported:
      | name | kind    | legal_entity | email          | external_ref_crm | tax_id_scheme | tax_id_number  |
      | Acme | company | MY01         | ap@acme.example | 77              | eu.vat        | NL004495445B01 |
    When this file is imported:
      | name       | kind    | legal_entity | email   | external_ref_crm | tax_id_scheme | tax_id_number |
      | Acme again | company | MY01         | <email> | <ref>            | <scheme>      | <number>      |
    Then the import reports 0 created, 0 updated, 1 skipped and 0 failed
    And row 2 was skipped because "<key>" matches customer "CUS-0001"

    Examples:
      | ref | scheme | number            | email           | key                      |
      | 77  | eu.vat | NL999999999B99    | x@other.example | crm reference 77         |
      |     | eu.vat | nl 0044.95445.b01 | x@other.example | tax id NL004495445B01    |
      |     |        |                   | AP@Acme.Example | e-mail ap@acme.example   |

  @R-9.4
  Scenario Outline: On a duplicate the import skips the row, updates the customer, or fails the row
    Given this file was imported:
      | name | kind    | legal_entity | email           |
      | Acme | company | MY01         | ap@acme.example |
    When this file is imported with duplicates "<on duplicate>":
      | name         | kind    | legal_entity | email           |
      | Acme Renamed | company | MY01         | ap@acme.example |
    Then the import reports <created> created, <updated> updated, <skipped> skipped and <failed> failed
    And customer "CUS-0001" is named "<name>"

    Examples:
      | on duplicate | created | updated | skipped | failed | name         |
      | skip         | 0       | 0       | 1       | 0      | Acme         |
      | update       | 0       | 1       | 0       | 0      | Acme Renamed |
      | error        | 0       | 0       | 0       | 1      | Acme         |

  # -------------------------------------------------------------------------
  # Options, batches and re-runs
  # -------------------------------------------------------------------------

  @R-9.4
  Scenario: A dry run reports everything and stores nothing
    When this file is checked without importing it:
      | name | kind    | legal_entity | email           |
      | Acme | company | MY01         | ap@acme.example |
      |      | company | MY01         | b@beta.example  |
    Then the import reports 1 created, 0 updated, 0 skipped and 1 failed
    And the tenant has no customers

  @R-9.4
  Scenario: Stopping at the first error keeps the rows before it
    When this file is imported, stopping at the first error:
      | name  | kind    | legal_entity | email            |
      | Acme  | company | MY01         | ap@acme.example  |
      |       | company | MY01         | b@beta.example   |
      | Gamma | company | MY01         | g@gamma.example  |
    Then the import reports 1 created, 0 updated, 0 skipped and 1 failed
    And the import stopped at row 3
    And the tenant has 1 customer

  @R-9.5
  Scenario: An import cut off in the middle of a batch is run again and ends as if it had not been
    Given a file of 30 customers with e-mails and tax ids
    When the file is imported in batches of 10 and the import is cut off at row 25
    Then the tenant has 20 customers
    When the file is imported again in batches of 10
    Then the import reports 10 created, 0 updated, 20 skipped and 0 failed
    And the tenant holds the same customers as after importing the file in one go

  @R-9.5 @R-9.6
  Scenario: Rows of one file that are the same customer make one change, and the file imported again changes nothing
    When this file is imported with duplicates "update":
      | name              | kind    | legal_entity | email          | external_ref_crm |
      | Kedai Ali         | company | MY01         | ali@kedai.my   | A-1              |
      | Toko Cahaya       | company | MY01         | cahaya@toko.id | C-1              |
      | Kedai Ali Sdn Bhd | company | MY01         | ali@kedai.my   | A-2              |
    Then the import reports 2 created, 1 updated, 0 skipped and 0 failed
    And the tenant has 2 customers
    And customer "Kedai Ali Sdn Bhd" came from "crm" record "A-2"
    And customer "Kedai Ali Sdn Bhd" was created by one change of the import
    When the same file is imported again
    Then the import reports 0 created, 0 updated, 3 skipped and 0 failed
    And the import changed nothing in the audit trail

  @R-11.1
  Scenario: An import seals one audit record a batch, and each customer's trail shows its own part
    Given a file of 5 customers with e-mails and tax ids
    When the file is imported in batches of 2
    Then the audit trail holds one record for each batch, naming 2, 2 and 1 customers
    And the trail of "Customer 003" shows its creation by the import
    And the audit trail is intact

  @R-9.5
  Scenario: The result comes as JSON and as a CSV report of every row
    When this file is imported:
      | name | kind    | legal_entity | email           |
      | Acme | company | MY01         | ap@acme.example |
      | Beta | company | MY01         | nope            |
    Then the CSV report reads:
      | row | outcome | customer | column | code    | message                                                                  |
      | 2   | created | CUS-0001 |        |         |                                                                          |
      | 3   | failed  |          | email  | invalid | 'nope' is not a valid e-mail address: An email address must have an @-sign. |
    And the JSON result counts 1 created and 1 failed

  # -------------------------------------------------------------------------
  # Export, and the round trip
  # -------------------------------------------------------------------------

  @R-9.6 @R-12.2
  Scenario: A user who may not see credit figures exports the list without them
    Given this file was imported:
      | name | kind    | legal_entity | email           | credit_limit |
      | Acme | company | MY01         | ap@acme.example | 50000.00     |
    When a viewer exports the customer list
    Then the export has no "credit_limit" column
    When an AR manager exports the customer list
    Then the export shows "50000.00" in column "credit_limit" for "Acme"

  @R-9.6
  Scenario: Tax ids are filled in by export, spreadsheet and import, and nothing else changes
    Given this file was imported:
      | name | kind    | legal_entity | email           | phone         |
      | Acme | company | MY01         | ap@acme.example | +60312345678  |
      | Beta | company | MY01         | ap@beta.example | +60312345679  |
    When the customer list is exported
    And in the spreadsheet "Acme" gets tax id "my.brn" "201901000005-X"
    And the spreadsheet is imported with duplicates "update"
    Then the import reports 0 created, 1 updated, 1 skipped and 0 failed
    And customer "Acme" has tax id "201901000005-X"
    And only the tax ids of "Acme" changed

  # -------------------------------------------------------------------------
  # Approval
  # -------------------------------------------------------------------------

  @R-10.1 @R-10.2
  Scenario: Where imports need approval, a dry run is reviewed and the file is imported on final approval
    Given imports need approval in this tenant
    When this file is submitted for approval:
      | name | kind    | legal_entity | email           |
      | Acme | company | MY01         | ap@acme.example |
    Then the review reports 1 created, 0 updated, 0 skipped and 0 failed
    And the tenant has no customers
    When the AR manager and then the controller approve the import
    Then the tenant has 1 customer
