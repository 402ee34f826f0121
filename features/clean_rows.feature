Feature: Every clean row of a CRM export gets in
  Companies move their customers in from a CRM or an old system. A row a person would
  call clean is imported, however the export writes its country, its phone number or
  its characters; a row that is not clean says which value is wrong and what was meant;
  and the CRM's other columns are kept where the tenant has a place for them.

  Background:
    Given a tenant with legal entities MY01, SG01 and US01
    And companies in this tenant need no e-mail address

  # -------------------------------------------------------------------------
  # Countries as people write them
  # -------------------------------------------------------------------------

  @R-9.1 @R-1.7
  Scenario Outline: A country written in its own language, as an alias or as a code is read
    When a customer file is imported with the country written "<written>"
    Then the customer's address is in "<code>"

    Examples:
      | written       | code |
      | Deutschland   | DE   |
      | Österreich    | AT   |
      | España        | ES   |
      | 日本           | JP   |
      | UK            | GB   |
      | U.S.A.        | US   |
      | EL            | GR   |
      | the Netherlands | NL |
      | deu           | DE   |

  @R-9.2 @R-1.7
  Scenario: An unknown country is refused with the value and the closest country names
    When a customer file is imported with the country written "Malaysai"
    Then row 2 fails on column "address_country" with "'Malaysai' is not a country we know; closest: Malaysia (MY)"

  @R-9.2 @R-1.7
  Scenario: A name two countries share is refused rather than guessed
    When a customer file is imported with the country written "Kongo"
    Then row 2 fails on column "address_country" with "'Kongo' names more than one country"

  # -------------------------------------------------------------------------
  # Phone numbers
  # -------------------------------------------------------------------------

  @R-9.1 @R-1.3
  Scenario Outline: A national phone number is read in the address's country, its trunk prefix dropped
    When a customer in "<country>" is imported with the phone number "<written>"
    Then the customer's phone number is stored as "<stored>"
    And importing the exported customer list again changes nothing

    Examples:
      | country | written               | stored         |
      | DE      | 08155 9811            | +4981559811    |
      | DE      | +49 (0) 08155 9811    | +4981559811    |
      | GB      | 020 7946 0958 ext. 12 | +442079460958;ext=12 |
      | MY      | 03-2385 6779          | +60323856779   |
      | IT      | 06 1234 5678          | +390612345678  |

  @R-9.2 @R-1.3
  Scenario: An impossible phone number fails its row and shows the number
    When a customer in "MY" is imported with the phone number "0123"
    Then row 2 fails on column "phone" with "'0123' is not a possible phone number in MY"

  # -------------------------------------------------------------------------
  # Characters
  # -------------------------------------------------------------------------

  @R-9.1
  Scenario: A UTF-16 file without a byte order mark is read
    When a file of 3 German customers saved as UTF-16 without a byte order mark is imported
    Then the import reports 3 created, 0 updated, 0 skipped and 0 failed
    And customer "Müller & Söhne 1 GmbH" is in "Köln"

  @R-9.2
  Scenario: A file whose encoding cannot be told is refused once, naming the encodings to try
    When a file with a few Greek letters in the old Windows-1253 encoding is imported
    Then the file is refused once with "cannot tell the file's encoding"
    And the refusal names encodings to try and how to give one

  # -------------------------------------------------------------------------
  # Presets keep what they cannot map
  # -------------------------------------------------------------------------

  @R-9.1 @R-1.3
  Scenario: A Salesforce export's other columns are kept in the tenant's fields, the rest listed once
    Given the tenant has a whole-number custom field "number_of_employees"
    And the tenant has a dimension "account_source" with values "Web" and "Trade Show"
    When this Salesforce accounts export is imported for MY01:
      | Id              | Name          | Type              | BillingStreet | BillingCity | BillingCountry | NumberOfEmployees | AccountSource | Rating |
      | 0015g00000AbCdE | Pacific Foods | Wholesale         | 1 Jalan Ampang | Kuala Lumpur | Malaysia      | 250               | Web           | Hot    |
      | 0015g00000AbCdF | Harbour Ltd   | Customer - Direct | 2 High Street  | London       | UK            | 12                | Trade Show    | Warm   |
    Then the import reports 2 created, 0 updated, 0 skipped and 0 failed
    And customer "Pacific Foods" has 250 in custom field "number_of_employees" and "Web" as its account_source
    And customer "Pacific Foods" is a "wholesale" customer
    And the report lists the ignored columns "Type, Rating" once, before the rows

  # -------------------------------------------------------------------------
  # Warnings
  # -------------------------------------------------------------------------

  @R-3.4 @R-9.2
  Scenario: Of equally similar customers, the warning names the one with the lowest code
    Given customers "ACME Trading", "Acme  Trading" and "acme trading." were imported
    When a customer "Acme Trading" is imported
    Then row 2 warns that "Acme Trading" is much like customer "CUS-0001"
