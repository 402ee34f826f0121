Feature: Customer records
  A customer is defined once for the organisation (the tenant), with a code that is unique
  in it, the fields finance needs to invoice and collect, and related records: addresses,
  contacts, bank accounts, customer prices and tax exemptions. What is typed in is checked
  and stored in one normal form, so that the same customer is never entered twice and
  every document finds what it needs.

  Background:
    Given a tenant with legal entities MY01, SG01 and US01

  # -------------------------------------------------------------------------
  # Identity and codes
  # -------------------------------------------------------------------------

  @R-1.1
  Scenario: Generated codes follow one another
    When walk-in customer "Kedai Ali" is created for MY01
    And walk-in customer "Kedai Bala" is created for MY01
    And walk-in customer "Kedai Chong" is created for SG01
    Then "Kedai Ali" has code "CUS-0001"
    And "Kedai Bala" has code "CUS-0002"
    And "Kedai Chong" has code "CUS-0003"

  @R-1.1 @R-3.3
  Scenario: A refused customer does not use up a code
    Given walk-in customer "Kedai Ali" was created for MY01
    And a company customer "No Mail Sdn Bhd" without an e-mail address was refused
    When walk-in customer "Kedai Bala" is created for MY01
    Then "Kedai Bala" has code "CUS-0002"

  @R-1.1 @R-1.5
  Scenario: The code prefix and width are the tenant's choice
    Given the tenant numbers customers with prefix "C" and width 6
    When walk-in customer "Kedai Ali" is created for MY01
    Then "Kedai Ali" has code "C000001"

  @R-1.1
  Scenario: A code cannot be typed in while the tenant generates codes
    When walk-in customer "Kedai Ali" is saved for MY01 with code "ALI"
    Then the customer is rejected with an error "read_only" at "code"
    And nothing was stored

  @R-1.1 @R-1.5
  Scenario Outline: Typed-in codes are checked and stored in upper case
    Given the tenant does not generate customer codes
    When walk-in customer "Kedai Ali" is saved for MY01 with code "<typed>"
    Then the customer is created with code "<stored>"

    Examples:
      | typed        | stored       |
      | cus-0042     | CUS-0042     |
      | my.walk_in-7 | MY.WALK_IN-7 |
      | A            | A            |

  @R-1.1 @R-1.5
  Scenario Outline: Typed-in codes outside the allowed characters and length are refused
    Given the tenant does not generate customer codes
    When walk-in customer "Kedai Ali" is saved for MY01 with code "<typed>"
    Then the customer is rejected with an error "invalid" at "code"
    And nothing was stored

    Examples:
      | typed                             |
      | KEDAI ALI                         |
      | ALI/01                            |
      | ÄLI                               |
      | ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 |

  @R-1.1
  Scenario: A typed-in code is unique in the tenant, whatever its case
    Given the tenant does not generate customer codes
    And a new walk-in customer "Kedai Ali" of MY01
    And its code is "ALI"
    And the customer was saved
    When walk-in customer "Kedai Ali Two" is saved for MY01 with code "ali"
    Then the customer is rejected with an error "taken" at "code"

  # -------------------------------------------------------------------------
  # Required fields
  # -------------------------------------------------------------------------

  @R-1.2 @R-3.3
  Scenario Outline: A customer needs a name, a kind and a legal entity of the tenant
    Given a new customer with name "<name>", kind "<kind>" and legal entity "<entity>"
    When the customer is saved
    Then the customer is rejected with an error "<code>" at "<field>"
    And nothing was stored

    Examples:
      | name      | kind       | entity | field        | code           |
      |           | individual | MY01   | name         | blank          |
      | Kedai Ali |            | MY01   | kind         | blank          |
      | Kedai Ali | partner    | MY01   | kind         | not_allowed    |
      | Kedai Ali | individual |        | legal_entity | blank          |
      | Kedai Ali | individual | DE01   | legal_entity | unknown_entity |

  @R-1.2
  Scenario: A name is stored without the spaces around it
    Given a new walk-in customer "  Kedai Ali  " of MY01
    When the customer is saved
    Then its stored name is "Kedai Ali"

  @R-1.2
  Scenario: A company needs an e-mail address
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 without an e-mail address
    When the customer is saved
    Then the customer is rejected with an error "required" at "email"
    And the error at "email" says "is required for companies"
    And nothing was stored

  @R-1.2 @R-1.5
  Scenario: A tenant may let companies go without an e-mail address
    Given companies do not need an e-mail address in this tenant
    And a new company customer "Acme Trading Sdn Bhd" of MY01 without an e-mail address
    When the customer is saved
    Then the customer is created with code "CUS-0001"

  @R-1.2
  Scenario: A walk-in individual needs only a name
    Given a new walk-in customer "Kedai Ali" of MY01
    When the customer is saved
    Then the customer is created with code "CUS-0001"
    And "Kedai Ali" is active at version 1

  @R-1.2 @R-1.5
  Scenario Outline: A tenant can make an optional field mandatory
    Given the tenant makes "<field>" mandatory
    And a new walk-in customer "Kedai Ali" of MY01
    When the customer is saved
    Then the customer is rejected with an error "required" at "<path>"
    And the error at "<path>" says "is required by this tenant"

    Examples:
      | field    | path     |
      | phone    | phone    |
      | e-mail   | email    |
      | industry | industry |

  @R-1.2 @R-1.5
  Scenario: A walk-in with the mandatory phone number is accepted
    Given the tenant makes "phone" mandatory
    And a new walk-in customer "Kedai Ali" of MY01
    And its phone is "+60 12-345 6789"
    When the customer is saved
    Then the customer is created
    And its stored phone is "+60123456789"

  # -------------------------------------------------------------------------
  # Optional fields in their normal form
  # -------------------------------------------------------------------------

  @R-1.3
  Scenario Outline: Contact details are stored in one normal form
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its <field> is "<typed>"
    When the customer is saved
    Then the customer is created
    And its stored <field> is "<stored>"

    Examples:
      | field          | typed                       | stored                      |
      | e-mail         | Accounts@ACME.Example       | Accounts@acme.example       |
      | billing e-mail | billing@Acme.EXAMPLE        | billing@acme.example        |
      | phone          | +60 12-345 6789             | +60123456789                |
      | phone          | +1 (415) 555-0199           | +14155550199                |
      | website        | https://acme.example/about  | https://acme.example/about  |
      | website        | http://acme.example         | http://acme.example         |
      | currency       | MYR                         | MYR                         |
      | currency       | myr                         | MYR                         |
      | customer type  | wholesale                   | wholesale                   |
      | credit limit   | 50,000.00                   | 50000.00                    |
      | alternate name | 阿克米贸易                    | 阿克米贸易                    |

  @R-1.3 @R-3.3
  Scenario Outline: Malformed optional fields are refused
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its <field> is "<typed>"
    When the customer is saved
    Then the customer is rejected with an error "<code>" at "<path>"
    And nothing was stored

    Examples:
      | field          | typed               | path           | code              |
      | e-mail         | not-an-address      | email          | invalid           |
      | billing e-mail | billing@            | billing_email  | invalid           |
      | phone          | 12                  | phone          | invalid           |
      | website        | ftp://acme.example  | website        | invalid           |
      | website        | acme.example        | website        | invalid           |
      | currency       | XYZ                 | currency       | invalid           |
      | currency       | ringgit             | currency       | too_long          |
      | customer type  | reseller            | customer_type  | not_allowed       |
      | payment terms  | NET99               | payment_terms  | unknown_reference |
      | price list     | GOLD                | price_list     | unknown_reference |
      | credit limit   | -1                  | credit_limit   | too_small         |
      | credit limit   | lots                | credit_limit   | not_a_decimal     |

  @R-1.3
  Scenario: A national phone number takes the country of the customer's first address
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these addresses:
      | purposes | line 1          | city         | country |
      | billing  | 1 Jalan Ampang  | Kuala Lumpur | MY      |
    And its phone is "012-345 6789"
    When the customer is saved
    Then its stored phone is "+60123456789"

  @R-1.3
  Scenario: Payment terms and price list must be the tenant's own
    Given the tenant has payment terms NET30
    And the tenant has price list "WHOLESALE" in MYR
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its payment terms is "NET30"
    And its price list is "WHOLESALE"
    When the customer is saved
    Then the customer is created
    And its stored payment terms is "NET30"
    And its stored price list is "WHOLESALE"

  @R-1.3
  Scenario: A record from another system belongs to one customer only
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it came from "salesforce" record "0015g00000XyZ"
    And the customer was saved
    And a new company customer "Acme Trading (copy)" of MY01 with e-mail "copy@acme.example"
    And it came from "Salesforce" record "0015g00000XyZ"
    When the customer is saved
    Then the customer is rejected with an error "taken" at "external_refs[0]"
    And the error at "external_refs[0]" names customer "CUS-0001"
    And nothing was stored

  @R-1.3
  Scenario: The same record number from a different system is another record
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it came from "salesforce" record "0015g00000XyZ"
    And the customer was saved
    And a new company customer "Acme Holdings Bhd" of MY01 with e-mail "ap@acme-holdings.example"
    And it came from "hubspot" record "0015g00000XyZ"
    When the customer is saved
    Then the customer is created with code "CUS-0002"

  @R-1.3
  Scenario Outline: Dimensions name a dimension type and one of its values
    Given the tenant has dimension "department" with values "SALES-EU, SALES-APAC"
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has dimension "<type>" "<value>"
    When the customer is saved
    Then the customer is rejected with an error "<code>" at "<path>"

    Examples:
      | type     | value    | path               | code              |
      | project  | SALES-EU | dimensions[0].type  | unknown_dimension |
      | department | HR     | dimensions[0].value | not_allowed       |

  @R-1.3
  Scenario: A dimension value of the tenant is kept
    Given the tenant has dimension "department" with values "SALES-EU, SALES-APAC"
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has dimension "department" "SALES-APAC"
    When the customer is saved
    Then the customer is created

  @R-1.3
  Scenario Outline: Custom fields accept values of their type
    Given the tenant has a custom field "<name>" of type "<type>"
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its custom field "<name>" is <value>
    When the customer is saved
    Then the customer is created

    Examples:
      | name           | type                    | value      |
      | loyalty_number | integer                 | 42         |
      | vip            | boolean                 | yes        |
      | onboarded_on   | date                    | 2026-01-15 |
      | channel        | choice (online, retail) | online     |
      | nickname       | text                    | Acme       |

  @R-1.3 @R-3.3
  Scenario Outline: Custom fields refuse values of another type
    Given the tenant has a custom field "<name>" of type "<type>"
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its custom field "<name>" is <value>
    When the customer is saved
    Then the customer is rejected with an error "invalid" at "metadata.<name>"
    And the error at "metadata.<name>" says "<message>"

    Examples:
      | name           | type                    | value      | message                   |
      | loyalty_number | integer                 | forty-two  | must be a whole number    |
      | vip            | boolean                 | maybe      | must be true or false     |
      | onboarded_on   | date                    | 15/01/2026 | must be a date            |
      | channel        | choice (online, retail) | telephone  | must be one of: online, retail |
      | nickname       | text                    | 7          | must be text              |

  # -------------------------------------------------------------------------
  # Tax identifiers
  # -------------------------------------------------------------------------

  @R-1.4
  Scenario Outline: Tax ids are checked and stored in their compact form
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has tax id "<scheme>" "<typed>"
    When the customer is saved
    Then the customer is created
    And its stored tax ids are:
      | scheme   | number   |
      | <scheme> | <stored> |

    Examples: Schemes with a published check
      | scheme   | typed               | stored          |
      | eu.vat   | nl 0044.95445.B01   | NL004495445B01  |
      | eu.vat   | FR 40 303 265 045   | FR40303265045   |
      | us.ein   | 04-1234567          | 041234567       |
      | in.gstin | 27aapfu0939f1zv     | 27AAPFU0939F1ZV |
      | in.pan   | aapfu0939f          | AAPFU0939F      |

    Examples: Schemes without a validator are trimmed and upper-cased
      | scheme   | typed               | stored          |
      | my.brn   | 201901000005-x      | 201901000005-X  |
      | zz.trade |  ab-12              | AB-12           |

  @R-1.4 @R-3.3
  Scenario Outline: A tax id that fails its check is refused
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has tax id "<scheme>" "<typed>"
    When the customer is saved
    Then the customer is rejected with an error "invalid" at "<path>"
    And nothing was stored

    Examples:
      | scheme   | typed           | path                |
      | eu.vat   | NL123456789B01  | tax_ids[0].number   |
      | us.ein   | 12              | tax_ids[0].number   |
      | in.gstin | 27AAPFU0939F1ZX | tax_ids[0].number   |
      | vat      | 123             | tax_ids[0].scheme   |

  @R-1.4
  Scenario: One tax id may be the primary one
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has tax id "my.brn" "201901000005-X"
    And it has primary tax id "my.tin" "C2584563200"
    When the customer is saved
    Then its stored tax ids are:
      | scheme | number         | primary |
      | my.brn | 201901000005-X | no      |
      | my.tin | C2584563200    | yes     |

  @R-1.4
  Scenario: Two primary tax ids are refused
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has primary tax id "my.brn" "201901000005-X"
    And it has primary tax id "my.tin" "C2584563200"
    When the customer is saved
    Then the customer is rejected with an error "second_primary" at "tax_ids"

  # -------------------------------------------------------------------------
  # Unique tax ids and other tenant settings
  # -------------------------------------------------------------------------

  @R-1.5 @R-1.4
  Scenario: A second active customer with the same tax id is refused, naming the first
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has tax id "eu.vat" "NL004495445B01"
    And the customer was saved
    And a new company customer "Acme Trading BV" of MY01 with e-mail "ap@acme.example"
    And it has tax id "eu.vat" "nl 0044 95445 b01"
    When the customer is saved
    Then the customer is rejected with an error "taken" at "tax_ids[0].number"
    And the error at "tax_ids[0].number" names customer "CUS-0001"
    And nothing was stored

  @R-1.5
  Scenario: A tenant that does not enforce unique tax ids accepts the second customer
    Given unique tax ids are not enforced in this tenant
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has tax id "eu.vat" "NL004495445B01"
    And the customer was saved
    And a new company customer "Acme Trading BV" of MY01 with e-mail "ap@acme.example"
    And it has tax id "eu.vat" "NL004495445B01"
    When the customer is saved
    Then the customer is created with code "CUS-0002"

  # -------------------------------------------------------------------------
  # Classification lists
  # -------------------------------------------------------------------------

  @R-1.6 @R-3.3
  Scenario Outline: A value outside the tenant's list is refused with the allowed values
    Given the tenant's <field> list is "<allowed>"
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its <field> is "<typed>"
    When the customer is saved
    Then the customer is rejected with an error "not_allowed" at "<path>"
    And the error at "<path>" says "must be one of: <allowed>"

    Examples:
      | field          | allowed                  | typed       | path           |
      | customer group | Trade, Retail            | VIP         | customer_group |
      | segment        | SME, Enterprise          | Startup     | segment        |
      | sub-segment    | Manufacturing, Services  | Mining      | sub_segment    |
      | region         | APAC, EMEA               | LATAM       | region         |
      | industry       | Retail, Logistics        | Banking     | industry       |
      | tier           | Gold, Silver             | Bronze      | tier           |
      | customer type  | retail, wholesale        | distributor | customer_type  |

  @R-1.6
  Scenario Outline: A value on the tenant's list is accepted
    Given the tenant's <field> list is "<allowed>"
    And a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And its <field> is "<typed>"
    When the customer is saved
    Then the customer is created
    And its stored <field> is "<typed>"

    Examples:
      | field          | allowed           | typed     |
      | customer group | Trade, Retail     | Retail    |
      | tier           | Gold, Silver      | Gold      |
      | customer type  | retail, wholesale | wholesale |

  # -------------------------------------------------------------------------
  # Related records
  # -------------------------------------------------------------------------

  @R-1.7
  Scenario: Addresses carry purposes and one default per purpose
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these addresses:
      | label                 | purposes                | default for       | line 1            | city         | country |
      | Head office           | billing, hq             | billing, hq       | 1 Jalan Ampang    | Kuala Lumpur | my      |
      | Port Klang Warehouse  | shipping, delivery      | shipping          | Lot 5, Jalan Kem  | Klang        | MY      |
      | Shah Alam Site        | shipping, site          | site              | 9 Jalan Kebun     | Shah Alam    | MY      |
    When the customer is saved
    Then the customer is created
    And it has 3 addresses
    And its default billing address is "Head office"
    And its default shipping address is "Port Klang Warehouse"
    And its default site address is "Shah Alam Site"
    And its stored addresses are:
      | label                | country |
      | Head office          | MY      |
      | Port Klang Warehouse | MY      |
      | Shah Alam Site       | MY      |

  @R-1.7 @R-3.3
  Scenario: Two default addresses for one purpose are refused
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these addresses:
      | label       | purposes | default for | line 1         | city         | country |
      | Head office | billing  | billing     | 1 Jalan Ampang | Kuala Lumpur | MY      |
      | Branch      | billing  | billing     | 2 Jalan Tun    | Penang       | MY      |
    When the customer is saved
    Then the customer is rejected with an error "second_default" at "addresses"
    And the error at "addresses" says "default billing address"
    And nothing was stored

  @R-1.7 @R-3.3
  Scenario Outline: Addresses are checked field by field
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these addresses:
      | purposes   | default for | line 1         | city         | country   |
      | <purposes> | <default>   | 1 Jalan Ampang | Kuala Lumpur | <country> |
    When the customer is saved
    Then the customer is rejected with an error "<code>" at "<path>"

    Examples:
      | purposes | default  | country  | path                     | code          |
      | billing  |          | Narnia   | addresses[0].country     | invalid       |
      | billing  |          | XX       | addresses[0].country     | invalid       |
      | office   |          | MY       | addresses[0].purposes    | not_allowed   |
      | billing  | shipping | MY       | addresses[0].default_for | not_a_purpose |

  @R-1.7
  Scenario: One contact is the primary contact who receives statements
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these contacts:
      | name        | roles                         | e-mail                 | primary |
      | Siti Rahman | accounts_payable              | Siti@Acme.Example      | yes     |
      | Wei Chen    | procurement                   | wei@acme.example       | no      |
    When the customer is saved
    Then its primary contact is "Siti Rahman"
    And its stored contacts are:
      | name        | roles            | e-mail            | primary |
      | Siti Rahman | accounts_payable | Siti@acme.example | yes     |
      | Wei Chen    | procurement      | wei@acme.example  | no      |

  @R-1.7 @R-3.3
  Scenario: Two primary contacts are refused
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these contacts:
      | name        | primary |
      | Siti Rahman | yes     |
      | Wei Chen    | yes     |
    When the customer is saved
    Then the customer is rejected with an error "second_primary" at "contacts"

  @R-1.7
  Scenario: Bank accounts keep the IBAN and BIC in compact form
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these bank accounts:
      | bank          | IBAN                         | BIC      |
      | Deutsche Bank | GB82 WEST 1234 5698 7654 32  | deutdeff |
    When the customer is saved
    Then its stored bank accounts are:
      | bank          | IBAN                   | BIC      |
      | Deutsche Bank | GB82WEST12345698765432 | DEUTDEFF |

  @R-1.7 @R-3.3
  Scenario Outline: A bank account with a wrong IBAN or BIC is refused
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these bank accounts:
      | bank          | account number | IBAN   | BIC   |
      | Maybank       | <account>      | <iban> | <bic> |
    When the customer is saved
    Then the customer is rejected with an error "<code>" at "<path>"

    Examples:
      | account    | iban                        | bic      | path                          | code     |
      |            | GB82 WEST 1234 5698 7654 33 |          | bank_accounts[0].iban         | invalid  |
      | 5140123456 |                             | DEUT     | bank_accounts[0].bic          | invalid  |
      |            |                             | MBBEMYKL | bank_accounts[0].account_number | required |

  @R-1.7
  Scenario: Customer prices are kept as pricing tiers
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these pricing tiers:
      | item | min quantity | max quantity | unit price | currency | valid from | valid to   |
      | BOLT | 100          | 999          | 0.45       | MYR      | 2026-01-01 | 2026-12-31 |
    When the customer is saved
    Then its stored pricing tiers are:
      | item | min quantity | max quantity | unit price | currency | valid from | valid to   |
      | BOLT | 100          | 999          | 0.45       | MYR      | 2026-01-01 | 2026-12-31 |

  @R-1.7 @R-3.3
  Scenario: A pricing tier whose top quantity is below its bottom quantity is refused
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these pricing tiers:
      | item | min quantity | max quantity | unit price | currency |
      | BOLT | 100          | 10           | 0.45       | MYR      |
    When the customer is saved
    Then the customer is rejected with an error "too_small" at "pricing_tiers[0].max_quantity"

  @R-1.7 @R-3.3
  Scenario: A tax exemption that ends before it starts is refused
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these tax profiles:
      | exempt tax code | certificate  | valid from | valid to   |
      | EXEMPT-SST      | SST-2026-118 | 2026-06-01 | 2026-01-01 |
    When the customer is saved
    Then the customer is rejected with an error "before_start" at "tax_profiles[0].valid_to"

  @R-1.7
  Scenario: A tax exemption is kept with its certificate
    Given a new company customer "Acme Trading Sdn Bhd" of MY01 with e-mail "ap@acme.example"
    And it has these tax profiles:
      | exempt tax code | certificate  | valid from | valid to   |
      | EXEMPT-SST      | SST-2026-118 | 2026-01-01 | 2026-12-31 |
    When the customer is saved
    Then its stored tax profiles are:
      | exempt tax code | certificate  | valid from | valid to   |
      | EXEMPT-SST      | SST-2026-118 | 2026-01-01 | 2026-12-31 |

  # -------------------------------------------------------------------------
  # Status and versions
  # -------------------------------------------------------------------------

  @R-1.8
  Scenario: An inactive customer leaves the list but stays readable
    Given walk-in customer "Kedai Ali" was created for MY01
    And walk-in customer "Kedai Bala" was created for MY01
    When "Kedai Ali" is deactivated
    Then the customer list shows "Kedai Bala"
    And the list of inactive customers shows "Kedai Ali"
    And "Kedai Ali" can still be read by its id and by code "CUS-0001"
    And "Kedai Ali" is inactive at version 2

  @R-1.9
  Scenario: Every change moves the version on
    Given company customer "Acme Trading Sdn Bhd" exists
    When "Acme Trading Sdn Bhd" is updated with:
      | salesperson | Aminah |
    And "Acme Trading Sdn Bhd" is updated with:
      | region | APAC |
    Then "Acme Trading Sdn Bhd" is active at version 3

  @R-1.9
  Scenario: A change made from an old version is refused as a conflict
    Given company customer "Acme Trading Sdn Bhd" exists
    And "Acme Trading Sdn Bhd" was updated with:
      | salesperson | Aminah |
    When "Acme Trading Sdn Bhd" is updated from version 1 with:
      | salesperson | Badrul |
    Then the change is refused as a conflict
    And nothing was stored
    And its stored salesperson is "Aminah"
    And "Acme Trading Sdn Bhd" is active at version 2
