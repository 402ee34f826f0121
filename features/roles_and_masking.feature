Feature: Each tenant sees only its own customers, and each role only what it may
  The customer master serves many organisations (tenants) at once. Nobody working for
  one tenant can read or change another tenant's customers, whichever way they try: by
  id, by code, by searching, by merging or by approving. Within a tenant, roles decide
  what a person may do and see. Bank account numbers, IBANs and credit figures (limit,
  exposure, what is left) are shown only to roles that may see sensitive data; everyone
  else sees the last four characters of a bank number and no figures at all. A tenant
  may give a role its own set of permissions.

  Background:
    Given a tenant whose changes need the standard approvals
    And these people work in the tenant:
      | person | role          |
      | sam    | sales admin   |
      | alice  | AR manager    |
      | carl   | controller    |
      | fiona  | CFO           |
      | vera   | viewer        |
      | ines   | auditor       |
      | ana    | administrator |
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ar@acme.example"
    And its credit limit is "50,000.00"
    And its currency is "MYR"
    And it has these bank accounts:
      | bank    | account number | IBAN                   |
      | Maybank | 514011223344   | DE89370400440532013000 |
    And it has these overrides:
      | entity | credit limit |
      | SG01   | 20,000.00    |
    And sam asked for the new customer, and alice and carl approved it
    And "Kedai Ali", a walk-in customer of MY01, was asked for by sam and approved by alice and carl

  # -------------------------------------------------------------------------
  # One tenant never reaches another's customers (R-12.1)
  # -------------------------------------------------------------------------

  @R-12.1
  Scenario Outline: Someone from another tenant cannot reach our customer, whatever they try
    Given another tenant, Globex, has its own customer "Globex Kedai" and an administrator otto
    And sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    When otto from Globex tries to <reach> "Acme Trading Sdn Bhd"
    Then otto is told there is no such <thing>
    And nothing of ours has changed, and nothing of Globex's either

    Examples:
      | reach                                  | thing          |
      | read                                   | customer       |
      | look up by its code                    | customer       |
      | read as MY01 sees                      | customer       |
      | change the salesperson of              | customer       |
      | deactivate                             | customer       |
      | put on credit hold                     | customer       |
      | check the credit of                    | customer       |
      | merge their own customer into          | customer       |
      | merge into their own customer          | customer       |
      | delete for good                        | customer       |
      | read the timeline of                   | customer       |
      | write a note on                        | customer       |
      | approve the pending change request of  | change request |

  @R-12.1
  Scenario: Searching and listing show each tenant only its own customers and records
    Given another tenant, Globex, has its own customer "Globex Kedai" and an administrator otto
    And sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    Then otto's customer list shows only "Globex Kedai"
    And otto finds no customer named "Acme", nor with e-mail "ar@acme.example"
    And otto sees no change request and no audit record about our customers
    And ana's customer list shows only "Acme Trading Sdn Bhd" and "Kedai Ali"

  # -------------------------------------------------------------------------
  # What a role may do (R-12.2)
  # -------------------------------------------------------------------------

  @R-12.2
  Scenario Outline: A role may do only what its permissions allow
    When <person> tries to <action>
    Then it is <outcome>

    Examples:
      | person | action                                                            | outcome                   |
      | vera   | create company customer "Borneo Timber Sdn Bhd" for MY01          | refused as not permitted  |
      | vera   | change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"      | refused as not permitted  |
      | ines   | change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"      | refused as not permitted  |
      | vera   | write a note on "Acme Trading Sdn Bhd"                            | refused as not permitted  |
      | sam    | put "Acme Trading Sdn Bhd" on credit hold because "Overdue"       | refused as not permitted  |
      | sam    | merge "Kedai Ali" into "Acme Trading Sdn Bhd"                     | refused as not permitted  |
      | carl   | delete "Kedai Ali" for good                                       | refused as not permitted  |
      | sam    | read the audit trail                                              | refused as not permitted  |
      | sam    | change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"      | waiting for approval      |
      | sam    | write a note on "Acme Trading Sdn Bhd"                            | done                      |
      | alice  | put "Acme Trading Sdn Bhd" on credit hold because "Overdue"       | done                      |
      | carl   | merge "Kedai Ali" into "Acme Trading Sdn Bhd"                     | waiting for approval      |
      | fiona  | delete "Kedai Ali" for good                                       | waiting for approval      |
      | ines   | read the audit trail                                              | done                      |
      | vera   | read "Acme Trading Sdn Bhd"                                       | done                      |

  # -------------------------------------------------------------------------
  # What a role may see (R-12.2)
  # -------------------------------------------------------------------------

  @R-12.2
  Scenario Outline: Bank numbers and credit figures are masked for those who may not see them
    When <person> reads "Acme Trading Sdn Bhd" <how>
    Then they see account number "<account>" and IBAN "<iban>"
    And they see <credit limit>

    Examples:
      | person | how                  | account      | iban                   | credit limit                |
      | sam    | by its id            | ••••3344     | ••••3000               | no credit limit             |
      | sam    | by its code          | ••••3344     | ••••3000               | no credit limit             |
      | sam    | as SG01 sees it      | ••••3344     | ••••3000               | no credit limit             |
      | sam    | in the customer list | ••••3344     | ••••3000               | no credit limit             |
      | vera   | by its id            | ••••3344     | ••••3000               | no credit limit             |
      | alice  | by its id            | 514011223344 | DE89370400440532013000 | a credit limit of 50,000.00 |
      | alice  | by its code          | 514011223344 | DE89370400440532013000 | a credit limit of 50,000.00 |
      | alice  | as SG01 sees it      | 514011223344 | DE89370400440532013000 | a credit limit of 20,000.00 |
      | alice  | in the customer list | 514011223344 | DE89370400440532013000 | a credit limit of 50,000.00 |
      | ines   | by its id            | 514011223344 | DE89370400440532013000 | a credit limit of 50,000.00 |

  @R-12.2
  Scenario: A masked customer says which of its fields were masked, and its override's limit is withheld too
    When sam reads "Acme Trading Sdn Bhd" by its id
    Then the fields masked for them are bank account numbers, IBANs, the credit limit and the overrides' credit limits
    And the SG01 override shows no credit limit

  @R-12.2 @R-5.6
  Scenario: An AR manager's credit check shows the figures
    When alice checks an order of 10,000.00 MYR from "Acme Trading Sdn Bhd" for MY01
    Then the credit decision is "approved"
    And it shows a limit of 50,000.00 with 40,000.00 available

  @R-12.2 @R-5.6
  Scenario: A sales admin's credit check gives the decision but no figures
    When sam checks an order of 10,000.00 MYR from "Acme Trading Sdn Bhd" for MY01
    Then the credit decision is "approved"
    And it shows no limit, no exposure and nothing available

  @R-12.2 @R-11.3 @R-10.2
  Scenario: The timeline, the audit trail and change requests mask the same figures
    Given alice asked to change "Acme Trading Sdn Bhd" with:
      | credit limit | 75,000.00 |
    And the tenant gives its own role "credit auditor" the permissions "read customers" and "read the audit trail"
    And iris works in the tenant as credit auditor
    Then sam sees no bank number and no credit figure in the timeline of "Acme Trading Sdn Bhd" or in the change request
    And iris sees no bank number and no credit figure in the audit trail
    But alice sees the bank number and the credit limit in the timeline, and the new credit limit in the change request
    And the audit trail verifies, for ines and for iris alike

  @R-12.2
  Scenario: A sales admin who changes a customer at once gets it back masked
    Given the tenant lets changes to customers through without approval
    When sam asks to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    Then the customer sam gets back shows account number "••••3344" and no credit limit

  # -------------------------------------------------------------------------
  # A tenant's own permissions (R-12.2)
  # -------------------------------------------------------------------------

  @R-12.2
  Scenario: A tenant lets its sales admins see bank details and credit figures
    Given the tenant gives its own role "sales admin" the permissions "read customers", "change customers" and "see sensitive data"
    When sam reads "Acme Trading Sdn Bhd" by its id
    Then they see account number "514011223344" and IBAN "DE89370400440532013000"
    And they see a credit limit of 50,000.00

  @R-12.2
  Scenario: A tenant makes up a role of its own
    Given the tenant gives its own role "credit clerk" the permissions "read customers" and "put customers on credit hold"
    And chris works in the tenant as credit clerk
    When chris tries to put "Acme Trading Sdn Bhd" on credit hold because "Cheque bounced"
    Then it is done
    When chris tries to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    Then it is refused as not permitted
    When chris reads "Acme Trading Sdn Bhd" by its id
    Then they see account number "••••3344" and IBAN "••••3000"

  @R-12.2
  Scenario: A tenant takes a permission away from a standard role
    Given the tenant gives its own role "AR manager" the permissions "read customers"
    When alice tries to put "Acme Trading Sdn Bhd" on credit hold because "Overdue"
    Then it is refused as not permitted
    When alice reads "Acme Trading Sdn Bhd" by its id
    Then they see account number "••••3344" and IBAN "••••3000"
