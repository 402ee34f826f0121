Feature: Payment terms and due dates
  Payment terms say how much of an invoice is due when. Each installment takes a share
  of the invoice (a percentage of the total, a percentage of what is left, a fixed
  amount, or the rest) and falls due on a date worked out from the invoice date. The
  installments always add up to the invoice total, and the invoice is due on its
  latest installment's date.

  # -------------------------------------------------------------------------
  # The term types of ERPNext
  # -------------------------------------------------------------------------

  @R-6.1 @R-6.3
  Scenario Outline: ERPNext "days after invoice date"
    Given payment terms "NET30" paying everything 30 days after the invoice date
    When an invoice dated <invoice date> for 1,000.00 USD is scheduled
    Then the invoice is due on <due date>

    Examples:
      | invoice date | due date   |
      | 2016-01-22   | 2016-02-21 |
      | 2022-01-31   | 2022-03-02 |

  @R-6.1 @R-6.3
  Scenario Outline: ERPNext "days after the end of the invoice month"
    Given payment terms "EOM15" paying everything 15 days after the end of the invoice month
    When an invoice dated <invoice date> for 1,000.00 USD is scheduled
    Then the invoice is due on <due date>

    Examples:
      | invoice date | due date   |
      | 2024-01-15   | 2024-02-15 |
      | 2024-01-31   | 2024-02-15 |
      | 2024-02-01   | 2024-03-15 |

  @R-6.1 @R-6.3
  Scenario Outline: ERPNext "months after the end of the invoice month"
    Given payment terms "EONM" paying everything at the end of the month 1 month after the invoice month
    When an invoice dated <invoice date> for 1,000.00 USD is scheduled
    Then the invoice is due on <due date>

    Examples:
      | invoice date | due date   |
      | 2016-01-22   | 2016-02-29 |
      | 2017-01-22   | 2017-02-28 |
      | 2023-02-03   | 2023-03-31 |
      | 2020-06-11   | 2020-07-31 |

  # -------------------------------------------------------------------------
  # The term types of Odoo
  # -------------------------------------------------------------------------

  @R-6.1 @R-6.3
  Scenario Outline: Odoo "days after"
    Given payment terms "30/70" with these installments:
      | share | due                            |
      | 30%   | 15 days after the invoice date |
      | 70%   | 45 days after the invoice date |
    When an invoice dated <invoice date> for 1,000.00 USD is scheduled
    Then the schedule is:
      | due date | amount |
      | <first>  | 300.00 |
      | <second> | 700.00 |

    Examples:
      | invoice date | first      | second     |
      | 2022-01-01   | 2022-01-16 | 2022-02-15 |
      | 2022-01-31   | 2022-02-15 | 2022-03-17 |

  @R-6.1 @R-6.3
  Scenario Outline: Odoo "days after end of month"
    Given payment terms "EOM45" paying everything 45 days after the end of the invoice month
    When an invoice dated <invoice date> for 1,000.00 USD is scheduled
    Then the invoice is due on <due date>

    Examples:
      | invoice date | due date   |
      | 2019-01-01   | 2019-03-17 |
      | 2019-01-31   | 2019-03-17 |

  @R-6.1 @R-6.3
  Scenario Outline: Odoo "days after end of next month"
    Given payment terms "EONM10" paying everything 10 days after the end of the next month
    When an invoice dated <invoice date> for 1,000.00 USD is scheduled
    Then the invoice is due on <due date>

    Examples:
      | invoice date | due date   |
      | 2024-01-31   | 2024-03-10 |
      | 2023-01-31   | 2023-03-10 |
      | 2024-12-05   | 2025-02-10 |

  @R-6.1 @R-6.3
  Scenario Outline: Odoo "days, end of month on the" (day N of the following month)
    Given payment terms "ON-THE" paying everything on day <day> of the month after the one <days> days after the invoice date
    When an invoice dated <invoice date> for 1,000.00 USD is scheduled
    Then the invoice is due on <due date>

    Examples:
      | days | day | invoice date | due date   |
      | 30   | 10  | 2023-12-12   | 2024-02-10 |
      | 30   | 31  | 2023-12-12   | 2024-02-29 |
      | 0    | 29  | 2024-05-23   | 2024-06-29 |
      | 15   | 30  | 2024-05-24   | 2024-07-30 |

  @R-6.1 @R-6.3
  Scenario Outline: Odoo's older "day of the month" moves to the next month once past it
    Given payment terms "NEXT15" paying everything on the next day <day> of a month at least <days> days after the invoice date
    When an invoice dated <invoice date> for 1,000.00 USD is scheduled
    Then the invoice is due on <due date>

    Examples:
      | days | day | invoice date | due date   |
      | 31   | 15  | 2019-01-01   | 2019-02-15 |
      | 31   | 15  | 2019-01-15   | 2019-02-15 |
      | 31   | 15  | 2019-01-31   | 2019-03-15 |
      | 0    | 15  | 2019-03-15   | 2019-03-15 |
      | 0    | 31  | 2019-02-10   | 2019-02-28 |
      | 0    | 30  | 2019-01-31   | 2019-02-28 |

  # -------------------------------------------------------------------------
  # The term type of Tryton: a relative delta
  # -------------------------------------------------------------------------

  @R-6.1 @R-6.3
  Scenario Outline: Tryton relative deltas with day, month, weekday, days, weeks and months
    Given payment terms "DELTA" paying everything at the relative delta "<delta>"
    When an invoice dated <invoice date> for 1,000.00 USD is scheduled
    Then the invoice is due on <due date>

    Examples:
      | delta                      | invoice date | due date   |
      | months 1                   | 2024-01-31   | 2024-02-29 |
      | months 2, day 15, days 30  | 2011-10-01   | 2012-01-14 |
      | month 2                    | 2023-01-30   | 2023-02-28 |
      | month 2, months 1          | 2024-01-31   | 2024-03-31 |
      | month 12, months 2         | 2023-03-29   | 2024-02-29 |
      | weeks 2                    | 2024-01-15   | 2024-01-29 |
      | weekday Friday             | 2024-01-15   | 2024-01-19 |
      | weekday Friday             | 2024-01-19   | 2024-01-19 |
      | days 30, weekday Monday    | 2024-01-15   | 2024-02-19 |

  # -------------------------------------------------------------------------
  # Splitting the amount
  # -------------------------------------------------------------------------

  @R-6.1 @R-6.2
  Scenario: Tryton's four-line terms, the last installment taking what is left
    Given payment terms "MIXED" with these installments:
      | share              | due                                                         |
      | 25% of what's left | 30 days after the invoice date                              |
      | 25%                | 1 month after the invoice date                              |
      | 396.84 fixed       | 1 month after the invoice date, then 30 days later          |
      | the rest           | 2 months after the invoice date, then on day 15, then 30 days later |
    When an invoice dated 2011-10-01 for 1,587.35 USD is scheduled
    Then the schedule is:
      | due date   | amount |
      | 2011-10-31 | 396.84 |
      | 2011-11-01 | 396.84 |
      | 2011-12-01 | 396.84 |
      | 2012-01-14 | 396.83 |

  @R-6.1 @R-6.2
  Scenario: A percentage of what the earlier installments left
    Given payment terms "30/50/REST" with these installments:
      | share              | due                            |
      | 30%                | on the invoice date            |
      | 50% of what's left | 30 days after the invoice date |
      | the rest           | 60 days after the invoice date |
    When an invoice dated 2024-01-15 for 1,000.00 USD is scheduled
    Then the schedule is:
      | due date   | amount |
      | 2024-01-15 | 300.00 |
      | 2024-02-14 | 350.00 |
      | 2024-03-15 | 350.00 |

  @R-6.2
  Scenario Outline: Installments are rounded to the cent with the tenant's rounding and the last one absorbs the difference
    Given the tenant rounds <rounding>
    And payment terms "HALVES" with these installments:
      | share | due                 |
      | 50%   | on the invoice date |
      | 50%   | on the invoice date |
    When an invoice dated 2016-01-01 for <total> USD is scheduled
    Then the schedule is:
      | due date   | amount  |
      | 2016-01-01 | <first> |
      | 2016-01-01 | <last>  |

    Examples:
      | rounding   | total | first | last |
      | half up    | 0.03  | 0.02  | 0.01 |
      | half even  | 0.03  | 0.02  | 0.01 |
      | half up    | 0.05  | 0.03  | 0.02 |
      | half even  | 0.05  | 0.02  | 0.03 |

  @R-6.1 @R-6.2
  Scenario: Thirds with six decimal places still add up to the total
    Given payment terms "THIRDS" with these installments:
      | share      | due                            |
      | 33.333333% | on the invoice date            |
      | 33.333333% | 30 days after the invoice date |
      | 33.333334% | 60 days after the invoice date |
    When an invoice dated 2024-01-15 for 100.00 USD is scheduled
    Then the schedule is:
      | due date   | amount |
      | 2024-01-15 | 33.33  |
      | 2024-02-14 | 33.33  |
      | 2024-03-15 | 33.34  |

  @R-6.2
  Scenario: Amounts follow the currency's minor unit
    Given payment terms "THIRDS" with these installments:
      | share | due                 |
      | 30%   | on the invoice date |
      | 70%   | on the invoice date |
    When an invoice dated 2024-01-15 for 1,235 JPY is scheduled
    Then the schedule is:
      | due date   | amount |
      | 2024-01-15 | 370    |
      | 2024-01-15 | 865    |

  @R-6.2
  Scenario: A credit note gets the mirror image of the invoice's schedule
    Given payment terms "MIXED" with these installments:
      | share              | due                                                       |
      | 25% of what's left | 30 days after the invoice date                            |
      | 25%                | 1 month after the invoice date                            |
      | 4.00 fixed         | 1 month after the invoice date, then 30 days later          |
      | the rest           | 2 months after the invoice date, then on day 15, then 30 days later |
    When a credit note dated 2011-10-01 for 10.00 USD is scheduled
    Then the schedule is:
      | due date   | amount |
      | 2011-10-31 | -2.50  |
      | 2011-11-01 | -2.50  |
      | 2011-12-01 | -4.00  |
      | 2012-01-14 | -1.00  |

  @R-6.2
  Scenario: Installments that round to nothing are kept by default
    Given payment terms "SPLIT" with these installments:
      | share              | due                            |
      | 25% of what's left | 1 day after the invoice date   |
      | the rest           | 1 month after the invoice date |
    When an invoice dated 2016-05-17 for 0.00 USD is scheduled
    Then the schedule is:
      | due date   | amount |
      | 2016-05-18 | 0.00   |
      | 2016-06-17 | 0.00   |

  @R-6.2
  Scenario: A tenant that leaves out installments rounding to nothing
    Given the tenant leaves out installments that round to nothing
    And payment terms "SPLIT" with these installments:
      | share              | due                            |
      | 25% of what's left | 1 day after the invoice date   |
      | the rest           | 1 month after the invoice date |
    When an invoice dated 2016-05-17 for 0.00 USD is scheduled
    Then the schedule is:
      | due date   | amount |
      | 2016-05-17 | 0.00   |

  @R-6.2
  Scenario: Leaving out only the installment that rounds to nothing
    Given the tenant leaves out installments that round to nothing
    And payment terms "HALVES+" with these installments:
      | share      | due                 |
      | 50%        | on the invoice date |
      | 50%        | on the invoice date |
      | 0.02 fixed | on the invoice date |
    When an invoice dated 2016-01-01 for 0.04 USD is scheduled
    Then the schedule is:
      | due date   | amount |
      | 2016-01-01 | 0.02   |
      | 2016-01-01 | 0.02   |

  @R-6.2
  Scenario: An installment asking for more than is left is refused by default
    Given payment terms "OVER" with these installments:
      | share        | due                 |
      | 70%          | on the invoice date |
      | 500.00 fixed | on the invoice date |
      | 30%          | on the invoice date |
    When an invoice dated 2016-01-01 for 1,000.00 USD is scheduled
    Then the schedule is refused because installment 2 asks for more than is left

  @R-6.2
  Scenario: A tenant that lets the last installment go negative, as Odoo does
    Given the tenant lets the last installment go negative
    And payment terms "OVER" with these installments:
      | share        | due                 |
      | 70%          | on the invoice date |
      | 500.00 fixed | on the invoice date |
      | 30%          | on the invoice date |
    When an invoice dated 2016-01-01 for 1,000.00 USD is scheduled
    Then the schedule is:
      | due date   | amount  |
      | 2016-01-01 | 700.00  |
      | 2016-01-01 | 500.00  |
      | 2016-01-01 | -200.00 |

  @R-6.2
  Scenario: A zero invoice is never refused for asking too much
    Given payment terms "OVER" with these installments:
      | share        | due                 |
      | 70%          | on the invoice date |
      | 500.00 fixed | on the invoice date |
      | 30%          | on the invoice date |
    When an invoice dated 2016-01-01 for 0.00 USD is scheduled
    Then the schedule is:
      | due date   | amount |
      | 2016-01-01 | 0.00   |
      | 2016-01-01 | 0.00   |
      | 2016-01-01 | 0.00   |

  # -------------------------------------------------------------------------
  # Early payment and cash on delivery
  # -------------------------------------------------------------------------

  @R-6.1 @R-6.2
  Scenario: An early-payment discount on each installment
    Given payment terms "2/10" with these installments:
      | share    | due                           | early-payment discount |
      | 10%      | 2 days after the invoice date | 10% within 1 day       |
      | 20%      | 4 days after the invoice date | 20% within 3 days      |
      | 20%      | 6 days after the invoice date |                        |
      | the rest | 8 days after the invoice date | 20% within 7 days      |
    When an invoice dated 2016-01-01 for 1,150.00 USD is scheduled
    Then the schedule is:
      | due date   | amount | discount if paid by | discount |
      | 2016-01-03 | 115.00 | 2016-01-02          | 11.50    |
      | 2016-01-05 | 230.00 | 2016-01-04          | 46.00    |
      | 2016-01-07 | 230.00 |                     | 0.00     |
      | 2016-01-09 | 575.00 | 2016-01-08          | 115.00   |

  @R-6.1
  Scenario: Cash on delivery is due on the invoice date
    Given payment terms "COD" paying everything on the invoice date
    When an invoice dated 2024-03-31 for 236.00 USD is scheduled
    Then the schedule is:
      | due date   | amount |
      | 2024-03-31 | 236.00 |

  # -------------------------------------------------------------------------
  # Terms that cannot be used
  # -------------------------------------------------------------------------

  @R-6.1
  Scenario Outline: Terms that do not make sense are rejected
    Given payment terms "BAD" with these installments:
      | share    | due                            |
      | <first>  | on the invoice date            |
      | <second> | 30 days after the invoice date |
    When the payment terms are checked
    Then they are rejected because <reason>

    Examples:
      | first       | second   | reason                                           |
      | 50%         | 30%      | the percentages do not cover the whole amount    |
      | the rest    | 50%      | only the last installment can take the rest      |
      | 33.3333333% | the rest | a percentage has more than 6 decimal places      |
      | 120%        | the rest | a percentage must be above 0 and at most 100     |
      | 0.00 fixed  | the rest | a fixed amount must be more than nothing         |

  @R-6.1
  Scenario: Terms whose percentages and rest cover the whole amount are accepted
    Given payment terms "THIRD" with these installments:
      | share                     | due                 |
      | 33.333333% of what's left | on the invoice date |
      | the rest                  | on the invoice date |
    When the payment terms are checked
    Then they are accepted

  # -------------------------------------------------------------------------
  # The invoice's due date
  # -------------------------------------------------------------------------

  @R-6.4
  Scenario: An invoice is due on its latest installment's date
    Given payment terms "SPLIT" with these installments:
      | share    | due                            |
      | 50%      | 60 days after the invoice date |
      | the rest | 30 days after the invoice date |
    When an invoice dated 2024-01-15 for 1,000.00 USD is scheduled
    Then the invoice is due on 2024-03-15

  @R-6.4
  Scenario: An invoice without payment terms is due on its date
    Given the customer has no payment terms
    When an invoice dated 2024-01-15 for 1,000.00 USD is scheduled
    Then the invoice is due on 2024-01-15
