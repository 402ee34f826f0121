Feature: One customer, many legal entities
  A customer is defined once for the whole organisation. Each legal entity that sells to
  it may see a few things differently - its own credit limit, payment terms, currency,
  price list, salesperson, receivable account and addresses - and must be enabled for
  the customer before its documents may use it. What an entity sees is the effective
  view: the master with that entity's override laid over it, field by field.

  Background:
    Given a tenant with legal entities MY01, SG01 and US01
    And the tenant has payment terms NET30, NET45 and NET60
    And the tenant has price list "STD-MYR" in MYR
    And the tenant has price list "STD-SGD" in SGD
    And company customer "Acme Trading Sdn Bhd" of MY01 exists with:
      | credit limit       | 50,000.00 |
      | payment terms      | NET30     |
      | currency           | MYR       |
      | price list         | STD-MYR   |
      | salesperson        | Aminah    |
      | receivable account | 1200-MY   |

  @R-2.1 @R-2.2
  Scenario Outline: Each overridable field can be set for one entity
    Given "Acme Trading Sdn Bhd" got these override changes:
      | action | entity | <field>  |
      | add    | SG01   | <value>  |
    When the effective view of "Acme Trading Sdn Bhd" for SG01 is taken
    Then its effective <field> is "<value>" from the override
    And its stored <field> is "<master value>"

    Examples:
      | field              | value     | master value |
      | credit limit       | 20,000.00 | 50,000.00    |
      | payment terms      | NET60     | NET30        |
      | currency           | SGD       | MYR          |
      | price list         | STD-SGD   | STD-MYR      |
      | salesperson        | Wei Ling  | Aminah       |
      | receivable account | 1200-SG   | 1200-MY      |

  @R-2.2
  Scenario Outline: Fields the override leaves empty come from the master
    Given "Acme Trading Sdn Bhd" got these override changes:
      | action | entity | credit limit | currency |
      | add    | SG01   | 20,000.00    | SGD      |
    When the effective view of "Acme Trading Sdn Bhd" for SG01 is taken
    Then its effective <field> is "<value>" from the <source>

    Examples:
      | field              | value     | source   |
      | credit limit       | 20,000.00 | override |
      | currency           | SGD       | override |
      | payment terms      | NET30     | master   |
      | price list         | STD-MYR   | master   |
      | salesperson        | Aminah    | master   |
      | receivable account | 1200-MY   | master   |

  @R-2.2
  Scenario: A change to the master reaches every entity that does not override the field
    Given "Acme Trading Sdn Bhd" got these override changes:
      | action | entity | credit limit |
      | add    | SG01   | 20,000.00    |
    And "Acme Trading Sdn Bhd" was updated with:
      | payment terms | NET45     |
      | credit limit  | 80,000.00 |
    When the effective view of "Acme Trading Sdn Bhd" for SG01 is taken
    Then its effective payment terms is "NET45" from the master
    And its effective credit limit is "20,000.00" from the override

  @R-2.2 @R-2.3
  Scenario: An entity without an override sees the master as it is
    Given "Acme Trading Sdn Bhd" got these override changes:
      | action | entity | credit limit | payment terms |
      | add    | SG01   | 20,000.00    | NET60         |
    When the effective view of "Acme Trading Sdn Bhd" for US01 is taken
    Then the effective view is the master with nothing overridden

  @R-2.1 @R-2.2 @R-1.7
  Scenario: An entity's own addresses appear only in its view, and its defaults come first
    Given a new company customer "Lim Brothers Pte Ltd" of MY01 with e-mail "ap@limbros.example"
    And it has these addresses:
      | label                | purposes          | default for       | line 1           | city         | country | entity |
      | Kuala Lumpur HQ      | billing, shipping | billing, shipping | 1 Jalan Ampang   | Kuala Lumpur | MY      |        |
      | Singapore Warehouse  | shipping          | shipping          | 8 Tuas Avenue    | Singapore    | SG      | SG01   |
    And the customer was saved
    When the effective view of "Lim Brothers Pte Ltd" for SG01 is taken
    Then its effective default shipping address is "Singapore Warehouse"
    And its effective default billing address is "Kuala Lumpur HQ"
    When the effective view of "Lim Brothers Pte Ltd" for US01 is taken
    Then its effective default shipping address is "Kuala Lumpur HQ"
    And the effective view shows only the addresses "Kuala Lumpur HQ"

  @R-2.1 @R-1.7
  Scenario: Each entity may have its own default for a purpose, but only one
    Given a new company customer "Lim Brothers Pte Ltd" of MY01 with e-mail "ap@limbros.example"
    And it has these addresses:
      | label               | purposes | default for | line 1        | city      | country | entity |
      | Singapore Warehouse | shipping | shipping    | 8 Tuas Avenue | Singapore | SG      | SG01   |
      | Jurong Depot        | shipping | shipping    | 2 Jurong Road | Singapore | SG      | SG01   |
    When the customer is saved
    Then the customer is rejected with an error "second_default" at "addresses"
    And the error at "addresses" says "for entity SG01"

  @R-2.1 @R-3.3
  Scenario Outline: An override must name an entity of the tenant and existing terms and lists
    When "Acme Trading Sdn Bhd" gets these override changes:
      | action | entity   | <field> |
      | add    | <entity> | <value> |
    Then the change is rejected with an error "<code>" at "<path>"
    And nothing was stored

    Examples:
      | entity | field         | value   | path                      | code              |
      | DE01   | salesperson   | Hans    | overrides[0].entity        | unknown_entity    |
      | SG01   | payment terms | NET90   | overrides[0].payment_terms | unknown_reference |
      | SG01   | price list    | VIP     | overrides[0].price_list    | unknown_reference |
      | SG01   | currency      | DOLLARS | overrides[0].currency      | too_long          |
      | SG01   | credit limit  | -5      | overrides[0].credit_limit  | too_small         |

  @R-2.3
  Scenario: Only the owning entity may use a new customer
    When the effective view of "Acme Trading Sdn Bhd" for MY01 is taken
    Then "Acme Trading Sdn Bhd" may be used by MY01
    And "Acme Trading Sdn Bhd" may not be used by SG01
    And "Acme Trading Sdn Bhd" may not be used by US01

  @R-2.3
  Scenario: Enabling a customer for an entity lets that entity's documents use it
    When "Acme Trading Sdn Bhd" is enabled for SG01
    Then "Acme Trading Sdn Bhd" may be used by SG01
    And "Acme Trading Sdn Bhd" may not be used by US01
    And "Acme Trading Sdn Bhd" is active at version 2

  @R-2.3
  Scenario: Disabling takes the entity away again, but never the owning entity
    Given "Acme Trading Sdn Bhd" was enabled for SG01
    When "Acme Trading Sdn Bhd" is disabled for SG01
    And "Acme Trading Sdn Bhd" is disabled for MY01
    Then "Acme Trading Sdn Bhd" may not be used by SG01
    And "Acme Trading Sdn Bhd" may be used by MY01

  @R-2.3
  Scenario: A customer cannot be enabled for an entity the tenant does not have
    When "Acme Trading Sdn Bhd" is enabled for DE01
    Then the change is rejected with an error "unknown_entity" at "entity"
    And nothing was stored

  @R-2.3
  Scenario: A customer may be enabled for entities when it is created
    Given a new company customer "Lim Brothers Pte Ltd" of MY01 with e-mail "ap@limbros.example"
    And it is enabled for SG01 and US01
    When the customer is saved
    Then "Lim Brothers Pte Ltd" may be used by SG01
    And "Lim Brothers Pte Ltd" may be used by US01

  @R-2.3
  Scenario: Storage holds one master and only the overrides that exist
    Given "Acme Trading Sdn Bhd" was enabled for SG01
    And "Acme Trading Sdn Bhd" was enabled for US01
    And "Acme Trading Sdn Bhd" got these override changes:
      | action | entity | credit limit |
      | add    | SG01   | 20,000.00    |
    Then the tenant stores 1 customer
    And "Acme Trading Sdn Bhd" is stored with overrides for SG01 only

  @R-2.1 @R-3.2
  Scenario: An override is changed and removed by entity
    Given "Acme Trading Sdn Bhd" got these override changes:
      | action | entity | credit limit | salesperson |
      | add    | SG01   | 20,000.00    | Wei Ling    |
      | add    | US01   | 10,000.00    |             |
    When "Acme Trading Sdn Bhd" gets these override changes:
      | action | entity | credit limit |
      | update | SG01   | 25,000.00    |
      | delete | US01   |              |
    Then "Acme Trading Sdn Bhd" is stored with overrides for SG01 only
    When the effective view of "Acme Trading Sdn Bhd" for SG01 is taken
    Then its effective credit limit is "25,000.00" from the override
    And its effective salesperson is "Wei Ling" from the override
    When the effective view of "Acme Trading Sdn Bhd" for US01 is taken
    Then the effective view is the master with nothing overridden
