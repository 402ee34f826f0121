Feature: Erasing a customer's personal data for good
  A person may ask to be forgotten. A customer that must stay for the books keeps its
  code, its amounts, its tax ids, its entities and its history; what identifies a person
  goes: names of individuals, contacts, e-mails, phones, street lines, bank accounts,
  notes and documents, in the record and in everything recorded about it. The audit
  trail still proves that nothing else was touched. An erasure cannot be undone, so it
  always waits for three approvals.

  Background:
    Given "Jane Tan" is a walk-in customer of Acme Malaysia (MY01) with e-mail "jane.tan@example.com", phone "+60 12-345 6789" and street "12 Jalan Ampang"
    And "Jane Tan" holds tax id "NL004495445B01" and a credit limit of 5,000.00 MYR
    And a note on "Jane Tan" says "Called +60123456789 about 12 Jalan Ampang"
    And the certificate "jane-exemption.pdf" is attached to "Jane Tan"
    And the host modules hear of erasures

  @R-4.4 @R-10.1
  Scenario: An erasure waits for the red lane's three approvals
    When "ana" asks to erase "Jane Tan"
    Then the erasure waits for approval in the red lane, by AR manager, controller and CFO
    And "Jane Tan" still has e-mail "jane.tan@example.com"

  @R-4.4 @R-11.2 @R-16.6
  Scenario: Once approved, the personal data is nowhere and the books are kept
    When "ana" asks to erase "Jane Tan"
    And the AR manager, the controller and the CFO approve the erasure
    Then "jane.tan@example.com", "+60123456789" and "12 Jalan Ampang" are found nowhere in storage
    And the customer keeps its code, tax id "NL004495445B01" and credit limit of 5,000.00 MYR
    And the customer's name and street read "[erased]" and its city still reads "Kuala Lumpur"
    And the note on the customer reads "[erased]"
    And the customer has no documents
    And the audit trail still verifies
    And the audit trail records the erasure by "ana", naming the erased fields but no erased value
    And the host modules heard that "Jane Tan" was erased

  @R-4.4 @R-12.1
  Scenario: Another tenant cannot erase the customer
    When an administrator of another tenant asks to erase "Jane Tan"
    Then the customer is not found
    And "Jane Tan" still has e-mail "jane.tan@example.com"

  @R-10.1
  Scenario Outline: No tenant may route an irreversible operation below red
    When "ana" routes <operation> to the <lane> lane
    Then the change of lane is refused, saying <operation> cannot be undone
    And <operation> still waits in the red lane

    Examples:
      | operation   | lane   |
      | hard_delete | green  |
      | hard_delete | yellow |
      | erase       | green  |
      | erase       | yellow |
