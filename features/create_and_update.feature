Feature: Creating and changing customers
  A customer is created with everything that belongs to it in one step, and changed
  piece by piece: only the fields given change, and related records are added, changed
  or removed one by one. Either the whole change is stored or none of it. When input is
  wrong, every problem is reported at once with the field it concerns, so the user can
  fix them all in one go. Some things are worth a second look without being wrong; they
  come back as warnings and the customer is saved anyway.

  Background:
    Given a tenant with legal entities MY01, SG01 and US01
    And the tenant has payment terms NET30 and NET60

  # -------------------------------------------------------------------------
  # Create, all at once
  # -------------------------------------------------------------------------

  @R-3.1
  Scenario: A customer is created with all its related records in one step
    Given the tenant has dimension "department" with values "SALES-APAC"
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has tax id "my.brn" "201901000005-X"
    And it has dimension "department" "SALES-APAC"
    And it has these addresses:
      | label                | purposes | default for | line 1         | city         | country |
      | Head office          | billing  | billing     | 1 Jalan Ampang | Kuala Lumpur | MY      |
      | Port Klang Warehouse | shipping | shipping    | Lot 5 Jalan Kem | Klang       | MY      |
    And it has these contacts:
      | name        | roles            | primary |
      | Siti Rahman | accounts_payable | yes     |
      | Wei Chen    | procurement      | no      |
    And it has these bank accounts:
      | bank    | account number |
      | Maybank | 5140123456     |
    And it has these pricing tiers:
      | item | min quantity | unit price | currency |
      | BOLT | 100          | 0.45       | MYR      |
    And it has these tax profiles:
      | exempt tax code | certificate  | valid to   |
      | EXEMPT-SST      | SST-2026-118 | 2026-12-31 |
    And it has these overrides:
      | entity | credit limit | payment terms |
      | SG01   | 20,000.00    | NET60         |
    And it is enabled for SG01
    When the customer is saved
    Then the customer is created with code "CUS-0001"
    And it has 2 addresses
    And it has 2 contacts
    And it has 1 bank account
    And it has 1 pricing tier
    And it has 1 tax profile
    And it has 1 tax id
    And it has 1 override
    And the history of "Acme Trading Sdn Bhd" reads "create"
    And the outbox holds "customer_created" for "Acme Trading Sdn Bhd"

  @R-3.1 @R-3.3
  Scenario Outline: One bad related record stores nothing at all
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these addresses:
      | label       | purposes | line 1         | city         | country |
      | Head office | billing  | 1 Jalan Ampang | Kuala Lumpur | MY      |
    And it has these contacts:
      | name        | e-mail             |
      | Siti Rahman | siti@acme.example  |
      | Wei Chen    | <second e-mail>    |
    When the customer is saved
    Then the customer is rejected with an error "invalid" at "contacts[1].email"
    And nothing was stored
    And the next customer created gets code "CUS-0001"

    Examples:
      | second e-mail       |
      | wei-at-acme.example |
      | wei@                |

  # -------------------------------------------------------------------------
  # Partial update
  # -------------------------------------------------------------------------

  @R-3.2
  Scenario: Only the fields given change
    Given company customer "Acme Trading Sdn Bhd" of MY01 exists with:
      | phone       | +60 3-2161 0000  |
      | website     | https://acme.example |
      | salesperson | Aminah           |
      | region      | APAC             |
    When "Acme Trading Sdn Bhd" is updated with:
      | salesperson | Badrul |
    Then its stored salesperson is "Badrul"
    And its stored phone is "+60321610000"
    And its stored website is "https://acme.example"
    And its stored region is "APAC"
    And "Acme Trading Sdn Bhd" is active at version 2
    And the last change of "Acme Trading Sdn Bhd" touched only salesperson

  @R-3.2
  Scenario: A field can be emptied
    Given company customer "Acme Trading Sdn Bhd" of MY01 exists with:
      | salesperson | Aminah |
    When "Acme Trading Sdn Bhd" is updated with:
      | salesperson | (empty) |
    Then its stored salesperson is "(empty)"

  @R-3.2 @R-1.2
  Scenario: An update is checked by the same rules as a create
    Given company customer "Acme Trading Sdn Bhd" exists
    When "Acme Trading Sdn Bhd" is updated with:
      | e-mail | (empty) |
    Then the change is rejected with an error "required" at "email"
    And nothing was stored

  @R-3.2
  Scenario: A customer's code cannot be changed
    Given company customer "Acme Trading Sdn Bhd" exists
    When "Acme Trading Sdn Bhd" is updated with:
      | code | ACME |
    Then the change is rejected with an error "read_only" at "code"
    And nothing was stored

  @R-3.2 @R-1.7
  Scenario: Related records are added, changed and removed in one operation
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these addresses:
      | label         | purposes | default for | line 1         | city         | country |
      | Head office   | billing  | billing     | 1 Jalan Ampang | Kuala Lumpur | MY      |
      | Old Warehouse | shipping | shipping    | 3 Jalan Lama   | Klang        | MY      |
    And the customer was saved
    When "Acme Trading Sdn Bhd" gets these address changes:
      | action | label         | purposes | default for | line 1        | city          | country |
      | add    | New Warehouse | shipping | shipping    | 7 Jalan Baru  | Shah Alam     | MY      |
      | update | Head office   |          |             |               | Petaling Jaya |         |
      | delete | Old Warehouse |          |             |               |               |         |
    Then "Acme Trading Sdn Bhd" is active at version 2
    And its stored addresses are:
      | label         | city          | default for |
      | Head office   | Petaling Jaya | billing     |
      | New Warehouse | Shah Alam     | shipping    |
    And its default shipping address is "New Warehouse"
    And its default billing address is "Head office"

  @R-3.2
  Scenario: A changed record keeps what the change does not mention
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these contacts:
      | name        | roles            | e-mail            | phone           | primary |
      | Siti Rahman | accounts_payable | siti@acme.example | +60 12-345 6789 | yes     |
    And the customer was saved
    When "Acme Trading Sdn Bhd" gets these contact changes:
      | action | name        | e-mail               |
      | update | Siti Rahman | s.rahman@acme.example |
    Then its stored contacts are:
      | name        | roles            | e-mail                | phone        | primary |
      | Siti Rahman | accounts_payable | s.rahman@acme.example | +60123456789 | yes     |

  @R-3.2 @R-3.3
  Scenario: A record the customer does not have rejects the whole operation
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these addresses:
      | label       | purposes | default for | line 1         | city         | country |
      | Head office | billing  | billing     | 1 Jalan Ampang | Kuala Lumpur | MY      |
    And the customer was saved
    When "Acme Trading Sdn Bhd" gets these address changes:
      | action | label       | purposes | line 1      | city   | country |
      | add    | Branch      | shipping | 2 Jalan Tun | Penang | MY      |
      | update | Nowhere     |          |             | Ipoh   |         |
    Then the change is rejected with an error "unknown_id" at "addresses[1].id"
    And nothing was stored
    And it has 1 address

  @R-3.2 @R-3.3
  Scenario: Deleting a record the customer does not have rejects the whole operation
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these contacts:
      | name        |
      | Siti Rahman |
    And the customer was saved
    When "Acme Trading Sdn Bhd" gets these contact changes:
      | action | name     |
      | add    | Wei Chen |
      | delete | Ah Kow   |
    Then the change is rejected with an error "unknown_id" at "contacts[1].id"
    And nothing was stored

  @R-3.2 @R-1.7
  Scenario: A second default for a purpose rejects the whole operation
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these addresses:
      | label       | purposes | default for | line 1         | city         | country |
      | Head office | billing  | billing     | 1 Jalan Ampang | Kuala Lumpur | MY      |
    And its salesperson is "Aminah"
    And the customer was saved
    And a change to "Acme Trading Sdn Bhd" with:
      | salesperson | Badrul |
    And the change also has these address changes:
      | action | label  | purposes | default for | line 1      | city   | country |
      | add    | Branch | billing  | billing     | 2 Jalan Tun | Penang | MY      |
    When the change is submitted
    Then the change is rejected with an error "second_default" at "addresses"
    And nothing was stored
    And its stored salesperson is "Aminah"

  # -------------------------------------------------------------------------
  # Every error at once
  # -------------------------------------------------------------------------

  @R-3.3
  Scenario: Every problem is reported at once with its field, code and message
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "accounts-at-acme"
    And its website is "acme.example"
    And its payment terms is "NET99"
    And it has these addresses:
      | label       | purposes | line 1         | city         | country  |
      | Head office | billing  | 1 Jalan Ampang | Kuala Lumpur | MY       |
      | Warehouse   | shipping | Lot 5          | Klang        | MY       |
      | Depot       | shipping | 9 Jalan Kebun  | Shah Alam    | Malaysai |
    And it has these bank accounts:
      | bank    | IBAN                        |
      | Barclays | GB82 WEST 1234 5698 7654 33 |
    When the customer is saved
    Then the customer is rejected with exactly these errors:
      | field                 | code              | message                                                   |
      | email                 | invalid           | is not a valid e-mail address                             |
      | website               | invalid           | must be an absolute http(s) URL, e.g. https://example.com |
      | payment_terms         | unknown_reference | no payment terms with code 'NET99'                        |
      | addresses[2].country  | invalid           | is not a country we know; closest: Malaysia (MY)          |
      | bank_accounts[0].iban | invalid           | is not a valid IBAN                                       |
    And nothing was stored

  @R-3.3 @R-3.2
  Scenario: An update with several problems reports them all and changes nothing
    Given company customer "Acme Trading Sdn Bhd" exists
    When "Acme Trading Sdn Bhd" is updated with:
      | currency     | RM      |
      | credit limit | -100    |
      | kind         | partner |
    Then the change is rejected with exactly these errors:
      | field        | code        |
      | currency     | invalid     |
      | credit_limit | too_small   |
      | kind         | not_allowed |
    And nothing was stored

  # -------------------------------------------------------------------------
  # Warnings
  # -------------------------------------------------------------------------

  @R-3.3
  Scenario Outline: An amount beyond what every storage keeps exactly is refused at its field
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its credit limit is "<limit>"
    When the customer is saved
    Then the customer is rejected with an error "<code>" at "credit_limit"
    And nothing was stored

    Examples:
      | limit             | code            |
      | 1e400             | too_large       |
      | 1,000,000,000,000 | too_large       |
      | 12.1234567        | too_many_places |
      | NaN               | not_a_decimal   |

  @R-3.3
  Scenario Outline: Text holding a control character is refused at its field
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its <field> holds <character>
    When the customer is saved
    Then the customer is rejected with an error "control_character" at "<path>"
    And nothing was stored

    Examples:
      | field    | character                  | path     |
      | name     | a NUL character            | name     |
      | name     | an escape character        | name     |
      | salesperson | half of a surrogate pair | salesperson |

  @R-3.3
  Scenario Outline: A custom value beyond what every storage keeps is refused at its field
    Given the tenant has a custom field "<field>" of type "<type>"
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its custom field "<field>" is <value>
    When the customer is saved
    Then the customer is rejected with an error "invalid" at "metadata.<field>"
    And nothing was stored

    Examples:
      | field     | type    | value                                   |
      | turnover  | number  | 1e400                                   |
      | headcount | integer | 100000000000000000000000000000000000000 |

  @R-3.4
  Scenario Outline: A credit limit above 1,000,000 is saved with a warning
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its credit limit is "<limit>"
    When the customer is saved
    Then the customer is created
    And the result warns "large_credit_limit" at "credit_limit"

    Examples:
      | limit        |
      | 1,000,000.01 |
      | 25,000,000   |

  @R-3.4
  Scenario: A credit limit of exactly 1,000,000 draws no warning
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its credit limit is "1,000,000.00"
    When the customer is saved
    Then the result has no warnings

  @R-3.4
  Scenario: The tenant chooses how large a credit limit draws a warning
    Given the tenant warns about credit limits above 100,000
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these overrides:
      | entity | credit limit |
      | SG01   | 150,000      |
    When the customer is saved
    Then the customer is created
    And the result warns "large_credit_limit" at "overrides[0].credit_limit"

  @R-3.4
  Scenario: A name much like an existing active customer's is saved with a warning naming it
    Given company customer "Acme Trading Sdn Bhd" exists
    And a new company customer "ACME Trading Sdn. Bhd" of MY01 with e-mail "ap@acme.example"
    When the customer is saved
    Then the customer is created with code "CUS-0002"
    And the result warns "similar_name" at "name"
    And the warning at "name" says "existing customer CUS-0001 'Acme Trading Sdn Bhd'"

  @R-3.4 @R-1.8
  Scenario: A name like an inactive customer's draws no warning
    Given company customer "Acme Trading Sdn Bhd" exists
    And "Acme Trading Sdn Bhd" was deactivated
    And a new company customer "ACME Trading Sdn. Bhd" of MY01 with e-mail "ap@acme.example"
    When the customer is saved
    Then the result has no warnings

  @R-3.4
  Scenario: A different name draws no warning
    Given company customer "Acme Trading Sdn Bhd" exists
    And a new company customer "Lim Brothers Pte Ltd" of MY01 with e-mail "ap@limbros.example"
    When the customer is saved
    Then the result has no warnings

  @R-3.4 @R-1.7
  Scenario Outline: An exemption certificate that has already expired is saved with a warning
    # Today is 2 March 2026.
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these tax profiles:
      | exempt tax code | certificate  | valid to   |
      | EXEMPT-SST      | SST-2025-077 | <valid to> |
    When the customer is saved
    Then the customer is created
    And the result warns "certificate_expired" at "tax_profiles[0].valid_to"
    And the warning at "tax_profiles[0].valid_to" says "SST-2025-077 expired on <valid to>"

    Examples:
      | valid to   |
      | 2026-03-01 |
      | 2025-12-31 |

  @R-3.4
  Scenario: A certificate valid until today draws no warning
    # Today is 2 March 2026.
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these tax profiles:
      | exempt tax code | certificate  | valid to   |
      | EXEMPT-SST      | SST-2026-118 | 2026-03-02 |
    When the customer is saved
    Then the result has no warnings

  @R-3.4 @R-3.2
  Scenario: An update can draw a warning too, and is still stored
    Given company customer "Acme Trading Sdn Bhd" exists
    When "Acme Trading Sdn Bhd" is updated with:
      | credit limit | 2,000,000 |
    Then the result warns "large_credit_limit" at "credit_limit"
    And its stored credit limit is "2,000,000"
    And "Acme Trading Sdn Bhd" is active at version 2
