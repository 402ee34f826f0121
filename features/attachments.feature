Feature: Documents kept with a customer
  Tax-exemption certificates, contracts and bank letters belong with the customer record.
  A document is recognised by its bytes, not by its name; it is kept once however often
  it is uploaded; it is on the customer's timeline and in the audit trail; and only users
  of the customer's own tenant can read it.

  Background:
    Given "Kedai Runcit Ali" is a customer of Acme Malaysia (MY01)

  @R-16.6 @R-11.3
  Scenario: A certificate is attached, listed, read back and on the timeline
    When "ana" attaches the PDF "exemption-2026.pdf" to "Kedai Runcit Ali"
    Then "Kedai Runcit Ali" has the document "exemption-2026.pdf" of type "application/pdf" uploaded by "ana"
    And the document reads back exactly as it was uploaded
    And the timeline of "Kedai Runcit Ali" says "ana" attached a document (exemption-2026.pdf)
    And the audit trail still verifies

  @R-16.6
  Scenario Outline: A document that is not what it says, too large or named with a path is refused
    When "ana" attaches <content> named "<name>" to "Kedai Runcit Ali"
    Then the upload is refused: <field> <reason>
    And "Kedai Runcit Ali" has no documents

    Examples:
      | content                  | name              | field   | reason            |
      | an executable            | invoice.pdf       | content | type_not_accepted |
      | a plain text file        | notes.pdf         | content | type_not_accepted |
      | a PNG image              | contract.pdf      | name    | type_mismatch     |
      | the PDF                  | ../../etc/cert.pdf | name   | path              |
      | a PDF over the 1 KB limit | big.pdf          | content | too_large         |

  @R-16.6 @R-12.1
  Scenario: Another tenant can neither list nor read the documents
    Given "ana" attached the PDF "contract.pdf" to "Kedai Runcit Ali"
    When an administrator of another tenant asks for the documents of "Kedai Runcit Ali"
    Then the customer is not found
    And an administrator of another tenant cannot read "contract.pdf" either

  @R-16.6
  Scenario: A deleted document is gone from the list and the store
    Given "ana" attached the PDF "contract.pdf" to "Kedai Runcit Ali"
    When "ana" deletes the document "contract.pdf" of "Kedai Runcit Ali"
    Then "Kedai Runcit Ali" has no documents
    And the bytes of "contract.pdf" are no longer kept
    And the timeline of "Kedai Runcit Ali" says "ana" removed a document (contract.pdf)
