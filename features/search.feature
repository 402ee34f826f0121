Feature: Finding customers
  A sales administrator or an accounts clerk finds customers by what they know of them:
  a few letters of the name however it is spelt or accented, the code, the e-mail
  address or the tax id; or narrows the list by status, kind, type, group, segment,
  region, tag, legal entity, credit hold or salesperson. The list is sorted by code,
  name or creation date and read a page at a time; a page picks up after the last
  customer of the one before, so every customer is seen exactly once. Inactive customers
  stay out of the list unless asked for, and another tenant's customers never show.

  Background:
    Given a tenant with legal entities MY01, SG01 and US01
    And the tenant does not generate customer codes
    And these customers were created in this order, a minute apart:
      | code  | name                          | kind       | legal entity | customer type | customer group | segment   | region  | tags              | salesperson | e-mail                 |
      | C-300 | Société Générale Malaysia Bhd | company    | MY01         | enterprise    | KEY            | Banking   | Central | priority, export  | Aminah      | ar@socgen.example      |
      | C-100 | Kedai Runcit Ali              | individual | MY01         | retail        | SME            | Retail    | North   |                   | Wei Ling    |                        |
      | C-500 | Nguyen Agencies               | company    | SG01         | distributor   | SME            | Logistics | South   | export            | Aminah      | ap@nguyen.example      |
      | C-200 | Zenith Foods                  | company    | US01         | wholesale     | KEY            | Retail    | Central |                   | Raj         | pay@zenith.example     |
      | C-400 | Global Energy                 | company    | MY01         | enterprise    | KEY            | Energy    | North   | priority          | Raj         | ar@global.example      |
      | C-150 | Ánh Dương Trading             | company    | SG01         | wholesale     | SME            | Retail    | South   | export            | Wei Ling    | ketoan@anhduong.example |
      | C-600 | Old Mill Trading              | company    | MY01         | retail        | SME            | Retail    | North   |                   | Aminah      | ar@oldmill.example     |
    And "Société Générale Malaysia Bhd" has tax id "eu.vat" "NL004495445B01"
    And "Global Energy" was enabled for SG01
    And "Zenith Foods" is on credit hold
    And "Old Mill Trading" was deactivated

  # -------------------------------------------------------------------------
  # Filters
  # -------------------------------------------------------------------------

  @R-14.1
  Scenario: Without a filter the list shows every active customer by code
    When the customer list is read
    Then the list shows exactly C-100, C-150, C-200, C-300, C-400 and C-500

  @R-14.1
  Scenario Outline: Each filter narrows the list to the customers that match it
    When the customer list is filtered by <filter> "<value>"
    Then the list shows exactly <codes>

    Examples:
      | filter         | value       | codes                             |
      | status         | inactive    | C-600                             |
      | status         | any         | C-100, C-150, C-200, C-300, C-400, C-500 and C-600 |
      | kind           | individual  | C-100                             |
      | customer type  | enterprise  | C-300 and C-400                   |
      | customer group | KEY         | C-200, C-300 and C-400            |
      | segment        | Retail      | C-100, C-150 and C-200            |
      | region         | South       | C-150 and C-500                   |
      | tag            | priority    | C-300 and C-400                   |
      | legal entity   | SG01        | C-150, C-400 and C-500            |
      | legal entity   | US01        | C-200                             |
      | credit hold    | yes         | C-200                             |
      | credit hold    | no          | C-100, C-150, C-300, C-400 and C-500 |
      | salesperson    | Aminah      | C-300 and C-500                   |

  @R-14.1
  Scenario: Filters combine: only customers matching all of them are listed
    When the customer list is filtered by tag "export" and region "South"
    Then the list shows exactly C-150 and C-500
    When the customer list is filtered by tag "export" and salesperson "Aminah" and region "South"
    Then the list shows exactly C-500

  # -------------------------------------------------------------------------
  # Search by name, code, e-mail and tax id
  # -------------------------------------------------------------------------

  @R-14.1
  Scenario Outline: A name search ignores case and accents and matches the start of any word
    When customers are searched by name "<search>"
    Then the list shows exactly <codes>

    Examples:
      | search           | codes           |
      | soc              | C-300           |
      | SOCIETE          | C-300           |
      | Société Gén      | C-300           |
      | gener            | C-300           |
      | gen              | C-300           |
      | ANH              | C-150           |
      | duong            | C-150           |
      | trad             | C-150           |
      | k                | C-100           |
      | agencies         | C-500           |
      | ergy             | nobody          |
      | xyz              | nobody          |

  @R-14.1
  Scenario Outline: A name search that allows for typing errors finds the customer meant
    When customers are searched by name "<search>", allowing for typing errors
    Then the list shows exactly <codes>

    Examples:
      | search            | codes  |
      | Societe Generle   | C-300  |
      | Kedia Runcit      | C-100  |
      | nguyen agnecies   | C-500  |
      | Zenith Fods       | C-200  |
      | GLOBAL ENREGY     | C-400  |
      | anh duong tradng  | C-150  |
      | Old Mill Trdaing  | nobody |
      | Kedai Kopi        | nobody |

  @R-14.1
  Scenario: Without allowing for typing errors a misspelt name finds nobody
    When customers are searched by name "Zenith Fods"
    Then the list shows exactly nobody

  @R-14.1
  Scenario: Names that start as searched come first, then the closest names, best first
    Given customer "Zenit Food Trading" with code "C-050" was created since
    And customer "Zenith Food" with code "C-700" was created since
    When customers are searched by name "zenith foods", allowing for typing errors
    Then the list shows exactly C-200, C-700 and C-050 in that order
    When the same search is read 1 at a time
    Then the pages show C-200, C-700 and C-050 and then end

  @R-14.1
  Scenario Outline: A customer is found by its code, e-mail address or tax id
    When a customer is looked up by <key> "<value>"
    Then the customer found is "<name>"

    Examples:
      | key    | value             | name                          |
      | code   | c-300             | Société Générale Malaysia Bhd |
      | code   | C-500             | Nguyen Agencies               |
      | e-mail | AR@SocGen.Example | Société Générale Malaysia Bhd |
      | e-mail | pay@zenith.example | Zenith Foods                 |
      | tax id | nl004495445b01    | Société Générale Malaysia Bhd |

  @R-14.1
  Scenario: An e-mail address or tax id nobody has finds nobody
    When customers are searched by e-mail "nobody@nowhere.example"
    Then the list shows exactly nobody
    When customers are searched by tax id "NL999999999B99"
    Then the list shows exactly nobody

  # -------------------------------------------------------------------------
  # Sorting and pages
  # -------------------------------------------------------------------------

  @R-14.1
  Scenario Outline: The list is sorted by code, by name or by when the customer was created
    When the customer list is read sorted by <sort>
    Then the list shows exactly <codes> in that order

    Examples:
      | sort          | codes                                    |
      | code          | C-100, C-150, C-200, C-300, C-400, C-500 |
      | name          | C-150, C-400, C-100, C-500, C-300, C-200 |
      | creation date | C-300, C-100, C-500, C-200, C-400, C-150 |

  @R-14.1
  Scenario Outline: Reading page after page shows every customer exactly once, in order
    When the whole customer list sorted by <sort> is read <size> at a time
    Then it took <pages> pages
    And every active customer was shown exactly once, sorted by <sort>
    And the last page says there is no next page

    Examples:
      | sort          | size | pages |
      | code          | 2    | 3     |
      | name          | 4    | 2     |
      | creation date | 5    | 2     |
      | name          | 6    | 1     |

  @R-14.1
  Scenario: A customer created between two pages does not push a customer onto the next page twice
    Given the first page of 2 customers sorted by name was read
    And customer "Aardvark Supplies" with code "C-050" was created since
    When the next page is read
    Then the next page shows C-100 and C-500

  # -------------------------------------------------------------------------
  # Inactive customers and other tenants
  # -------------------------------------------------------------------------

  @R-14.1
  Scenario: An inactive customer is hidden from searches unless inactive customers are asked for
    When customers are searched by name "old mill"
    Then the list shows exactly nobody
    When inactive customers are searched by name "old mill"
    Then the list shows exactly C-600

  @R-14.1 @R-12.1
  Scenario: Another tenant's customers never appear, whatever is searched
    Given another tenant has customer "Société Générale Malaysia Bhd" with e-mail "ar@socgen.example" and tax id "eu.vat" "NL004495445B01"
    When customers of any status are searched by name "soc"
    Then the list shows exactly C-300
    When customers are searched by e-mail "ar@socgen.example"
    Then the list shows exactly C-300
    When customers are searched by tax id "NL004495445B01"
    Then the list shows exactly C-300
    And the other tenant's list shows only its own customer
