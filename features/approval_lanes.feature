Feature: Changes to customers wait for the approvals their risk calls for
  Every change to the customer master goes down a lane the tenant sets per kind of
  change. A green change applies at once. A yellow change waits for the AR manager and
  then the controller; a red one for the AR manager, the controller and the CFO. While a
  change waits it is a change request: it holds what was asked, who asked and when, and
  who has approved so far. The person who asked may not approve it, nobody approves two
  steps of it, and a rejection ends it. Until its last approval it touches nothing: not
  the customer, not the audit trail, not what the other ERP modules are told. At the last
  approval it is checked again against the customer as it is by then.

  Background:
    Given a tenant whose changes need the standard approvals
    And these people work in the tenant:
      | person | role                      |
      | sam    | sales admin               |
      | alice  | AR manager                |
      | anton  | AR manager                |
      | carl   | controller                |
      | fiona  | CFO                       |
      | max    | AR manager and controller |
      | ana    | administrator             |
    And "Acme Trading Sdn Bhd", a company customer of MY01 with salesperson "Aminah", was asked for by sam and approved by alice and carl
    And "Kedai Ali", a walk-in customer of MY01, was asked for by sam and approved by alice and carl

  # -------------------------------------------------------------------------
  # Lanes (R-10.1)
  # -------------------------------------------------------------------------

  @R-10.1
  Scenario: The standard lanes of a tenant
    Then the tenant's lanes are:
      | change      | lane   | approved by                  |
      | create      | yellow | AR manager, controller       |
      | update      | yellow | AR manager, controller       |
      | deactivate  | yellow | AR manager, controller       |
      | reactivate  | yellow | AR manager, controller       |
      | merge       | yellow | AR manager, controller       |
      | import      | yellow | AR manager, controller       |
      | credit hold | green  | nobody                       |
      | hard delete | red    | AR manager, controller, CFO  |
      | erase       | red    | AR manager, controller, CFO  |

  @R-10.1 @R-10.2
  Scenario Outline: Each kind of change waits in its lane for the approvals it needs
    When <who> asks to <change>
    Then the change waits for approval in the <lane> lane, by <approvers>
    And nothing has changed yet

    Examples:
      | who | change                                                        | lane   | approvers                             |
      | sam | create company customer "Borneo Timber Sdn Bhd" for MY01      | yellow | AR manager, then controller           |
      | sam | create walk-in customer "Warung Siti" for MY01                | yellow | AR manager, then controller           |
      | sam | change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"  | yellow | AR manager, then controller           |
      | sam | deactivate "Acme Trading Sdn Bhd"                             | yellow | AR manager, then controller           |
      | ana | merge "Kedai Ali" into "Acme Trading Sdn Bhd"                 | yellow | AR manager, then controller           |
      | ana | delete "Kedai Ali" for good                                   | red    | AR manager, then controller, then CFO |

  @R-10.1
  Scenario: Bringing back a deactivated customer waits in the yellow lane too
    Given sam asked to deactivate "Kedai Ali"
    And alice approved it
    And carl approved it
    When sam asks to reactivate "Kedai Ali"
    Then the change waits for approval in the yellow lane, by AR manager, then controller
    And nothing has changed yet
    And "Kedai Ali" is inactive

  @R-10.1
  Scenario: A credit hold takes effect at once, since it protects the company
    When alice asks to put "Acme Trading Sdn Bhd" on credit hold because "Two invoices 60 days overdue"
    Then the change is applied at once
    And "Acme Trading Sdn Bhd" is on credit hold because "Two invoices 60 days overdue"

  @R-10.1
  Scenario: A tenant lets walk-in customers from the shop counter in without approval
    Given the tenant lets new walk-in customers through without approval
    When sam asks to create walk-in customer "Warung Siti" for MY01
    Then the change is applied at once
    And "Warung Siti" is on file with code "CUS-0003"
    When sam asks to create company customer "Borneo Timber Sdn Bhd" for MY01
    Then the change waits for approval in the yellow lane, by AR manager, then controller

  @R-10.1
  Scenario: A tenant names its own approvers for a lane
    Given the tenant's yellow lane is approved by the controller alone
    When sam asks to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    Then the change waits for approval in the yellow lane, by controller
    When carl approves it
    Then the request is approved
    And "Acme Trading Sdn Bhd" has salesperson "Badrul"

  @R-10.1 @R-10.3
  Scenario: Deleting a customer for good needs three approvals, the CFO's last
    When ana asks to delete "Kedai Ali" for good
    And alice approves it
    Then nothing has changed yet
    When carl approves it
    Then nothing has changed yet
    And the request still waits for the CFO
    When fiona approves it
    Then the request is approved
    And "Kedai Ali" is gone

  # -------------------------------------------------------------------------
  # Change requests and who may decide them (R-10.2)
  # -------------------------------------------------------------------------

  @R-10.2
  Scenario: A change request holds what was asked, by whom, when and in which lane
    Given the clock shows 2 March 2026 10:15
    When sam asks to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    Then the request shows:
      | customer     | Acme Trading Sdn Bhd        |
      | change       | update                      |
      | asked for    | salesperson "Badrul"        |
      | submitted by | sam                         |
      | submitted at | 2 March 2026 10:15          |
      | lane         | yellow                      |
      | approved by  | AR manager, then controller |
      | state        | pending                     |

  @R-10.2 @R-3.3
  Scenario Outline: Invalid input is refused when it is submitted, with every error, and no request is made
    When sam asks to <change>
    Then the change is refused with errors at <fields>
    And no change request was made
    And nothing has changed yet

    Examples:
      | change                                                                                       | fields                     |
      | change the e-mail of "Acme Trading Sdn Bhd" to "accounts-at-acme" and its website to "acme"  | "email" and "website"      |
      | create company customer "Borneo Timber Sdn Bhd" for XX99 without an e-mail address           | "legal_entity" and "email" |

  @R-10.2
  Scenario: Each step is approved by a person holding its role, with a comment
    Given sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    And the clock shows 2 March 2026 11:00
    When alice approves it, saying "Badrul takes over the Klang Valley accounts"
    And the clock shows 2 March 2026 14:30
    And carl approves it
    Then the request is approved
    And its decisions are:
      | step | role       | person | decision | at                 | comment                                    |
      | 1    | ar_manager | alice  | approved | 2 March 2026 11:00 | Badrul takes over the Klang Valley accounts |
      | 2    | controller | carl   | approved | 2 March 2026 14:30 |                                            |
    And "Acme Trading Sdn Bhd" has salesperson "Badrul"

  @R-10.2
  Scenario Outline: Nobody may decide a step that is not theirs to decide
    Given <submitter> asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    And <earlier approvals>
    When <person> tries to <decision> it
    Then the decision is refused, saying "<reason>"
    And the request still waits for the <waiting for>
    And nothing has changed yet

    Examples:
      | submitter | earlier approvals      | person | decision | reason                                               | waiting for |
      | alice     | nobody has approved it | alice  | approve  | the submitter may not approve or reject their own    | AR manager  |
      | alice     | nobody has approved it | alice  | reject   | the submitter may not approve or reject their own    | AR manager  |
      | sam       | max approved it        | max    | approve  | one user may not decide two steps                    | controller  |
      | sam       | nobody has approved it | carl   | approve  | step 1 needs the role ar_manager                     | AR manager  |
      | sam       | alice approved it      | anton  | approve  | step 2 needs the role controller                     | controller  |
      | sam       | nobody has approved it | fiona  | reject   | step 1 needs the role ar_manager                     | AR manager  |

  @R-10.2
  Scenario: Another AR manager may approve what an AR manager asked for
    Given alice asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    When anton approves it
    And carl approves it
    Then the request is approved
    And "Acme Trading Sdn Bhd" has salesperson "Badrul"

  @R-10.2
  Scenario Outline: A rejection ends the request and nothing is applied
    Given sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    And <earlier approvals>
    When <person> rejects it, saying "Aminah keeps the account"
    Then the request is rejected
    And nothing has changed yet
    When carl tries to approve it
    Then the decision is refused, saying "the change request is rejected, not pending"
    And nothing has changed yet

    Examples:
      | earlier approvals      | person |
      | nobody has approved it | alice  |
      | alice approved it      | carl   |

  @R-10.2 @R-15.2
  Scenario: Host modules hear of a submission, an approval and a rejection once each is stored
    Given the sales module listens for change requests
    When sam asks to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul" (request A)
    And sam asks to deactivate "Kedai Ali" (request B)
    And alice approves request A
    And carl approves request A
    And alice rejects request B, saying "Kedai Ali still buys from us"
    Then the sales module heard, in this order:
      | what      | request | state as stored when heard | salesperson of "Acme Trading Sdn Bhd" when heard |
      | submitted | A       | pending                    | Aminah                                           |
      | submitted | B       | pending                    | Aminah                                           |
      | approved  | A       | approved                   | Badrul                                           |
      | rejected  | B       | rejected                   | Badrul                                           |

  # -------------------------------------------------------------------------
  # The last approval applies the change, checked again (R-10.3)
  # -------------------------------------------------------------------------

  @R-10.3
  Scenario: A change touches nothing until its last approval, then everything at once
    When sam asks to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul"
    Then nothing has changed yet
    When alice approves it
    Then nothing has changed yet
    When carl approves it
    Then "Acme Trading Sdn Bhd" has salesperson "Badrul" at version 2
    And the audit trail has one new record, an "update" of "Acme Trading Sdn Bhd"
    And the other modules are told of one change: "customer_updated" for "Acme Trading Sdn Bhd"

  @R-10.3
  Scenario Outline: Every kind of change waits for its last approval
    When <who> asks to <change>
    And every approver but the last has approved it
    Then nothing has changed yet
    When the last approver approves it
    Then the request is approved
    And <result>

    Examples:
      | who | change                                                       | result                                               |
      | sam | create company customer "Borneo Timber Sdn Bhd" for MY01     | "Borneo Timber Sdn Bhd" is on file with code "CUS-0003" |
      | sam | change the salesperson of "Acme Trading Sdn Bhd" to "Badrul" | "Acme Trading Sdn Bhd" has salesperson "Badrul"      |
      | sam | deactivate "Acme Trading Sdn Bhd"                            | "Acme Trading Sdn Bhd" is inactive                   |
      | ana | merge "Kedai Ali" into "Acme Trading Sdn Bhd"                | "Kedai Ali" is merged into "Acme Trading Sdn Bhd"    |
      | ana | delete "Kedai Ali" for good                                  | "Kedai Ali" is gone                                  |

  @R-10.3 @R-1.9
  Scenario Outline: A request overtaken by another change fails at its last approval, and nothing is applied
    Given <who> asked to <change> (request A)
    And sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Chong" (request B)
    And alice approved request B
    And carl approved request B
    And every approver but the last has approved request A
    When the last approver approves request A
    Then the approval fails as a conflict, saying "CUS-0001 changed since the request was submitted"
    And request A is failed
    And nothing has changed since request B was applied
    And "Acme Trading Sdn Bhd" has salesperson "Chong" at version 2

    Examples:
      | who | change                                                       |
      | sam | change the salesperson of "Acme Trading Sdn Bhd" to "Badrul" |
      | sam | deactivate "Acme Trading Sdn Bhd"                            |
      | ana | merge "Kedai Ali" into "Acme Trading Sdn Bhd"                |
      | ana | delete "Acme Trading Sdn Bhd" for good                       |

  @R-10.3
  Scenario: A new customer that became a duplicate while it waited fails at its last approval
    Given sam asked to create company customer "Lim Brothers Pte Ltd" for MY01 with tax id "eu.vat" "NL004495445B01" (request A)
    And sam asked to create company customer "Lim Brothers Holdings" for MY01 with tax id "eu.vat" "NL004495445B01" (request B)
    And alice approved request A
    And carl approved request A
    And alice approved request B
    When carl approves request B
    Then the approval fails with an error "taken" at "tax_ids[0].number"
    And request B is failed
    And nothing has changed since request A was applied
    And no customer called "Lim Brothers Holdings" is on file

  # -------------------------------------------------------------------------
  # Finding requests
  # -------------------------------------------------------------------------

  @R-10.2
  Scenario: Each approver sees the requests waiting for them
    Given sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul" (request A)
    And sam asked to deactivate "Kedai Ali" (request B)
    And alice approved request B
    And alice asked to change the salesperson of "Acme Trading Sdn Bhd" to "Chong" (request C)
    And ana asked to delete "Kedai Ali" for good (request D)
    And anton approved request D
    And carl approved request D
    Then the pending approvals of each person are:
      | person | requests   |
      | alice  | A          |
      | anton  | A and C    |
      | carl   | B          |
      | max    | A, B and C |
      | fiona  | D          |
      | sam    | none       |

  @R-10.2
  Scenario: Requests are found by customer and by state
    Given sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Badrul" (request A)
    And sam asked to deactivate "Kedai Ali" (request B)
    And alice rejected request B
    And sam asked to change the salesperson of "Acme Trading Sdn Bhd" to "Chong" (request C)
    And alice approved request C
    And carl approved request C
    Then the requests about "Acme Trading Sdn Bhd" are A and C
    And the requests about "Kedai Ali" are B
    And the pending requests are A
    And the rejected requests are B
    And the approved requests are C, with the 2 that put the customers on file
