Feature: Every change leaves a record nobody can change, and each customer has a timeline
  Every change that is applied to the customer master writes one audit record: what was
  done, to which customers, who asked for it, who approved each step and when, and the
  value of every changed field before and after. Records are only ever added. Each one
  is sealed with a hash that also covers the seal of the record before it, so an auditor
  can verify the whole trail and is told the first record that does not hold. Personal
  data (e-mail addresses, names, contacts, bank details) enters a seal only as its own
  salted digest, so it can be erased later without breaking the trail.

  Each customer also has a timeline, newest first: its changes, its credit holds, the
  approvals of its change requests, and the internal notes written on it. Notes are
  never edited; a correction is a new note.

  Background:
    Given a tenant whose changes need the standard approvals
    And these people work in the tenant:
      | person | role          |
      | sam    | sales admin   |
      | alice  | AR manager    |
      | carl   | controller    |
      | fiona  | CFO           |
      | ines   | auditor       |
      | ana    | administrator |
    And "Acme Trading Sdn Bhd", a company customer of MY01 with salesperson "Aminah", was asked for by sam and approved by alice and carl
    And "Kedai Ali", a walk-in customer of MY01, was asked for by sam and approved by alice and carl

  # -------------------------------------------------------------------------
  # One record per applied change (R-11.1)
  # -------------------------------------------------------------------------

  @R-11.1 @R-10.2
  Scenario: An approved change leaves one record naming who asked, who approved, and what changed
    Given the clock shows 2 March 2026 10:00
    And sam asked to change "Acme Trading Sdn Bhd" with:
      | salesperson  | Badrul    |
      | credit limit | 75,000.00 |
    And the clock shows 2 March 2026 11:00
    And alice approved it, saying "Agreed with the sales director"
    And the clock shows 2 March 2026 14:30
    When carl approves it
    Then the audit trail has one new record for it, which reads:
      | change       | update                   |
      | customers    | Acme Trading Sdn Bhd     |
      | submitted by | sam                      |
      | at           | 2 March 2026 14:30       |
      | correlation  | the change request's id  |
    And the record's approvals are:
      | step | role       | person | at                 | comment                        |
      | 1    | ar_manager | alice  | 2 March 2026 11:00 | Agreed with the sales director |
      | 2    | controller | carl   | 2 March 2026 14:30 |                                |
    And the record's changes are:
      | field        | before | after    |
      | salesperson  | Aminah | Badrul   |
      | credit limit |        | 75000.00 |

  @R-11.1
  Scenario Outline: A change to a related record is recorded with the records before and after
    When sam asks to add <kind> "<name>" to "Acme Trading Sdn Bhd"
    And alice approves it
    And carl approves it
    Then the audit trail has one new record for it, which reads:
      | change    | update               |
      | customers | Acme Trading Sdn Bhd |
    And the record shows the <kind> of "Acme Trading Sdn Bhd" going from none to "<name>"

    Examples:
      | kind         | name        |
      | contact      | Siti Rahman |
      | address      | Head office |
      | bank account | Maybank     |

  @R-11.1 @R-8.1
  Scenario: A merge is recorded once, naming both customers
    When ana asks to merge "Kedai Ali" into "Acme Trading Sdn Bhd"
    And alice approves it
    And carl approves it
    Then the audit trail has one new record for it, which reads:
      | change       | merge                               |
      | customers    | Kedai Ali, Acme Trading Sdn Bhd     |
      | submitted by | ana                                 |
      | correlation  | the change request's id             |
    And the record shows "Kedai Ali" going from active to inactive

  @R-11.1
  Scenario Outline: Each applied change writes exactly one record, of its own kind
    When <who> asks to <change>
    And every approver has approved it
    Then the audit trail has one new record for it, which reads:
      | change       | <operation> |
      | customers    | <customers> |
      | submitted by | <who>       |
      | correlation  | <link>      |

    Examples:
      | who   | change                                                          | operation   | customers            | link                    |
      | sam   | create company customer "Borneo Timber Sdn Bhd" for MY01        | create      | Borneo Timber Sdn Bhd | the change request's id |
      | sam   | deactivate "Kedai Ali"                                          | deactivate  | Kedai Ali            | the change request's id |
      | ana   | delete "Kedai Ali" for good                                     | hard_delete | Kedai Ali            | the change request's id |
      | alice | put "Acme Trading Sdn Bhd" on credit hold because "Cheque bounced" | credit_hold | Acme Trading Sdn Bhd | none                 |

  @R-11.1 @R-10.2
  Scenario: A change that is rejected leaves no record
    Given sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    And alice approved it
    When carl rejects it, saying "Not this quarter"
    Then the audit trail has no new record since it was asked for

  # -------------------------------------------------------------------------
  # Append-only and tamper-evident (R-11.2)
  # -------------------------------------------------------------------------

  @R-11.2
  Scenario: The audit trail and the notes can only be added to
    Then no part of the system offers a way to change or remove an audit record
    And no part of the system offers a way to change or remove a note

  @R-11.2
  Scenario: An untouched audit trail verifies
    Given sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    And alice approved it
    And carl approved it
    When ines verifies the audit trail
    Then the audit trail is intact, with 6 records checked

  @R-11.2
  Scenario Outline: An edit made behind the system's back is found at the record edited
    Given sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    And alice approved it
    And carl approved it
    And someone edits <what> in audit record <record>, straight in storage
    When ines verifies the audit trail
    Then verification fails at record <record>, because "<reason>"

    Examples:
      | what                                       | record | reason                                  |
      | the kind of change                         | 6      | its content does not match its hash     |
      | the person who asked                       | 6      | its content does not match its hash     |
      | the time                                   | 6      | its content does not match its hash     |
      | the customers it names                     | 6      | its content does not match its hash     |
      | the salesperson before the change          | 6      | its content does not match its hash     |
      | the person who approved step 2             | 6      | its content does not match its hash     |
      | the change request it names                | 6      | its content does not match its hash     |
      | its seal                                   | 6      | its content does not match its hash     |
      | its link to the record before it           | 6      | does not link to the record before it   |
      | its sequence number                        | 6      | sequence 60 where 6 was expected        |
      | the kind of change                         | 4      | its content does not match its hash     |
      | the e-mail address, keeping its salt       | 4      | personal value email.after was altered  |
      | the e-mail address, blanking its salt      | 4      | its salt is gone but a value remains    |
      | the salt of the e-mail address             | 4      | personal value email.after was altered  |
      | the digest of the e-mail address           | 4      | personal value email.after was altered  |

  @R-11.2
  Scenario: A record edited and sealed again is found at the next record, whose link no longer holds
    Given someone edits the kind of change in audit record 4 and seals it again, straight in storage
    When ines verifies the audit trail
    Then verification fails at record 5, because "does not link to the record before it"

  @R-11.2
  Scenario: A record sealed again and the next record re-linked to it are found at that next record
    Given someone edits the kind of change in audit record 4, seals it again and re-links record 5 to it, straight in storage
    When ines verifies the audit trail
    Then verification fails at record 5, because "its content does not match its hash"

  @R-11.2
  Scenario: A removed record is found
    Given someone removes audit record 4, straight in storage
    When ines verifies the audit trail
    Then verification fails at record 4, because "a record is missing"

  @R-11.2
  Scenario: Removing the newest records is found against a checkpoint kept outside the trail
    Given ines took a checkpoint of the audit trail
    And someone removes audit record 5, straight in storage
    When ines verifies the audit trail
    Then the audit trail is intact, with 4 records checked
    When ines verifies the audit trail against the checkpoint
    Then verification fails at record 5, because "missing tail"

  @R-11.2
  Scenario: A newest record replaced by another is found against the checkpoint
    Given ines took a checkpoint of the audit trail
    And someone removes audit record 5, straight in storage
    And ana adds the legal entity TH01, which is recorded as record 5
    When ines verifies the audit trail against the checkpoint
    Then verification fails at record 5, because "forged"

  @R-11.2
  Scenario: An emptied trail is reported, never called intact
    Given someone removes every audit record, straight in storage
    When ines verifies the audit trail
    Then verification fails at record 1, because "the tenant has customers but no audit record"

  @R-11.2 @R-4.4
  Scenario: Erasing a personal value together with its salt leaves the trail intact
    Given audit record 4 holds the e-mail address "ar@acme-trading-sdn-bhd.example"
    When an erasure blanks that e-mail address and its salt in audit record 4
    And ines verifies the audit trail
    Then the audit trail is intact, with 5 records checked
    And no audit record holds "ar@acme-trading-sdn-bhd.example" any more

  # -------------------------------------------------------------------------
  # Timeline and notes (R-11.3)
  # -------------------------------------------------------------------------

  @R-11.3
  Scenario: The timeline shows what happened to a customer, newest first
    Given the clock shows 2 March 2026 10:00
    And alice asked to put "Acme Trading Sdn Bhd" on credit hold because "Cheque returned unpaid"
    And the clock shows 2 March 2026 11:00
    And sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    And the clock shows 2 March 2026 11:30
    And alice approved it, saying "Fine by me"
    And the clock shows 2 March 2026 12:00
    And carl approved it
    And the clock shows 2 March 2026 13:00
    And sam wrote a note on "Acme Trading Sdn Bhd": "Called Mr Tan about the returned cheque"
    When sam reads the timeline of "Acme Trading Sdn Bhd"
    Then it reads:
      | at                 | who   | what                                    |
      | 2 March 2026 13:00 | sam   | Called Mr Tan about the returned cheque |
      | 2 March 2026 12:00 | sam   | changed salesperson                     |
      | 2 March 2026 12:00 | carl  | approved step 2 as controller           |
      | 2 March 2026 11:30 | alice | approved step 1 as AR manager: Fine by me |
      | 2 March 2026 11:00 | sam   | submitted a change for yellow approval  |
      | 2 March 2026 10:00 | alice | put the customer on credit hold         |
      | 2 March 2026 09:00 | sam   | created the customer                    |

  @R-11.3
  Scenario: A rejected change shows in the timeline, and changes nothing
    Given the clock shows 2 March 2026 10:00
    And sam asked to deactivate "Acme Trading Sdn Bhd"
    And the clock shows 2 March 2026 10:45
    And alice rejected it, saying "They paid this morning"
    When sam reads the timeline of "Acme Trading Sdn Bhd"
    Then it reads:
      | at                 | who   | what                                                 |
      | 2 March 2026 10:45 | alice | rejected step 1 as AR manager: They paid this morning |
      | 2 March 2026 10:00 | sam   | submitted a deactivation for yellow approval         |
      | 2 March 2026 09:00 | sam   | created the customer                                 |

  @R-11.3
  Scenario: A note is never changed; a correction is a new note
    Given the clock shows 2 March 2026 10:00
    And sam wrote a note on "Acme Trading Sdn Bhd": "Customer wants invoices by post"
    And the clock shows 2 March 2026 10:05
    When sam writes a note on "Acme Trading Sdn Bhd": "Correction: invoices by e-mail, not by post"
    Then the notes on "Acme Trading Sdn Bhd" are:
      | at                 | author | text                                        |
      | 2 March 2026 10:00 | sam    | Customer wants invoices by post             |
      | 2 March 2026 10:05 | sam    | Correction: invoices by e-mail, not by post |

  @R-11.3
  Scenario: A blank note is refused
    When sam writes a note on "Acme Trading Sdn Bhd": "   "
    Then the note is refused with an error "blank" at "text"
    And "Acme Trading Sdn Bhd" has no notes
