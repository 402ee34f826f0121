Feature: Statements sent from the web admin
  An AR manager sends statements of account from the admin: one customer's from its page,
  or those of every customer a filtered list selects. A statement leaves the company, so
  the admin asks first and names who will receive it; each is sent once. These scenarios
  use the admin's pages through Flask's test client, with a mail port that keeps what it
  is given (the browser scenarios are in web_admin.feature).

  Background:
    Given the admin over a tenant whose mail goes to a kept mailbox
    And "Kedai Ali Sdn Bhd" owes MY01 1350.50 MYR and receives mail at "ap@kedai-ali.example"
    And "ana" is signed in to the admin as an AR manager

  @R-16.5 @R-13.3
  Scenario: A customer's statement is sent only after the sender confirms
    When she asks to send the statement of "Kedai Ali Sdn Bhd" for February 2026
    Then the confirmation names "ap@kedai-ali.example" and no mail has gone
    When she confirms the statement
    Then one mail with the statement PDF went to "ap@kedai-ali.example"
    And the timeline of "Kedai Ali Sdn Bhd" says "sent a statement of account"
    When she confirms the statement
    Then the page says it was sent before and no other mail went

  @R-16.5 @R-13.3
  Scenario: Statements for a filtered list are sent in a batch, with a summary
    Given "Kedai Abu Sdn Bhd" owes MY01 75.00 MYR and receives mail at "ap@kedai-abu.example"
    And "Kedai Senyap Sdn Bhd" has no documents
    When she sends statements for the customers named "Kedai" for February 2026
    Then the confirmation lists 2 customers to send to and names "Kedai Senyap Sdn Bhd" as not sent
    When she confirms the batch
    Then the summary reads "2 customers: 2 sent, 0 sent before, 0 without an e-mail address, 0 failed, 0 without documents"
    And mails went to "ap@kedai-ali.example" and "ap@kedai-abu.example"
