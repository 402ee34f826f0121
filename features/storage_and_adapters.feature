Feature: Storage, the HTTP API and the command line
  An administrator chooses where customers are kept by naming the storage in a URL: in
  memory for a trial, an SQLite file on one machine, a database server for many. The
  customer master behaves the same on each. Other systems reach it over a JSON HTTP API
  that describes itself, names the version of every customer it hands out, refuses a
  change made from an old copy, and explains every refusal field by field. An
  administrator runs it from the command line: prepare the database, seed a demo tenant,
  make API keys, verify the audit trail, and move customers in and out in files.

  Rule: Storage is chosen by URL, and every storage keeps customers the same way (R-16.1)

    @R-16.1
    Scenario: A customer is kept, read back and found on every storage
      Given a tenant with legal entities MY01, SG01 and US01
      When company customer "Kedai Runcit Ali Sdn Bhd" of MY01 is created with e-mail "ap@kedai-ali.example"
      Then reading "Kedai Runcit Ali Sdn Bhd" back by its id gives the customer as created, at version 1
      And looking up its code "CUS-0001" gives the same customer
      And a search by name "kedai" finds only "Kedai Runcit Ali Sdn Bhd"

    @R-16.1
    Scenario: An SQLite file keeps its customers after it is closed and opened again
      Given a new SQLite file prepared for the customer master
      And walk-in customer "Tan Ah Kow" was kept in the file
      When the file is closed and opened again
      Then the file still holds walk-in customer "Tan Ah Kow" with code "CUS-0001" at version 1

    @R-16.1
    Scenario Outline: A URL naming no installed storage is refused, naming the storages installed
      When the customer master is opened on "<url>"
      Then it is refused because there is no storage for "<scheme>"
      And the refusal names the installed storages memory, sqlite, postgresql and mysql

      Examples:
        | url                          | scheme  |
        | oracle://erp-db/customers    | oracle  |
        | mongodb://localhost/master   | mongodb |
        | customers.db                 | customers.db |

  Rule: Other systems use the HTTP API (R-16.2)

    Background:
      Given a tenant with legal entities MY01, SG01 and US01
      And an integrator holds an API key of the tenant

    @R-16.2
    Scenario: A created customer comes back with its version as its ETag
      When the integrator creates company customer "Kedai Runcit Ali Sdn Bhd" over the API
      Then the API answers "201 Created" with ETag "1"
      And reading the customer over the API answers with ETag "1"
      When the integrator renames it "Kedai Ali" sending its ETag "1"
      Then the API answers "200 OK" with ETag "2"

    @R-16.2
    Scenario Outline: A change must name the version it was made from
      Given the integrator created company customer "Kedai Runcit Ali Sdn Bhd" over the API
      And the integrator renamed it "Kedai Ali" sending its ETag "1"
      When the integrator renames it "Kedai Ali Baru" <sending>
      Then the API answers "<answer>"
      And the customer is called "<name>" at version <version>

      Examples:
        | sending                | answer                  | name           | version |
        | without an ETag        | 428 Precondition Required | Kedai Ali      | 2       |
        | sending its ETag "1"   | 412 Precondition Failed   | Kedai Ali      | 2       |
        | sending its ETag "2"   | 200 OK                    | Kedai Ali Baru | 3       |

    @R-16.2
    Scenario: A refusal is a problem report listing every field in error
      When the integrator creates a customer with a blank name, kind "person", legal entity "XX99" and e-mail "not-an-email"
      Then the API answers "422 Unprocessable Entity" with a problem report "validation-failed"
      And the problem report lists exactly these errors:
        | field        | code           |
        | name         | blank          |
        | kind         | not_allowed    |
        | legal_entity | unknown_entity |
        | email        | invalid        |
      And no customer was stored

    @R-16.2
    Scenario: The API describes itself for integrators
      When the integrator reads the API description
      Then it describes listing, creating, reading, changing and deleting customers
      And it says a change needs an If-Match header
      And it says errors are problem reports
      And the interactive documentation is served from this server

    @R-16.2
    Scenario: A long list comes in pages that each say where the next one starts
      Given the integrator created 5 customers over the API
      When the integrator lists customers 2 at a time, following each page's next cursor
      Then it read 3 pages holding all 5 customers once each
      And every page but the last carried a next cursor and a "next" link
      And the last page carried neither

  Rule: An administrator runs the customer master from the command line (R-16.3)

    @R-16.3
    Scenario: Migrating an SQLite file prepares it once, and again changes nothing
      When the administrator migrates a new SQLite file
      Then the command says the file is at the latest schema revision
      And migrating it again says the same
      And the file can keep customers

    @R-16.3
    Scenario: Seeding the demo tenant says what it made and shows its API keys once
      Given a migrated SQLite file
      When the administrator seeds the demo tenant with 10 customers
      Then the command says it made 12 customers and pending change requests
      And it shows 6 API keys
      And seeding the demo tenant again is refused in one line because it already has data

    @R-16.3
    Scenario: An API key is shown once and then only its holder knows it
      Given a migrated SQLite file with the demo tenant
      When the administrator creates an API key for "eve" in the demo tenant with role viewer
      Then the key is printed alone on standard output
      And the key signs "eve" in to the demo tenant as a viewer
      And the key itself is not kept in the file

    @R-16.3
    Scenario: Verifying the audit trail says whether it still holds
      Given a migrated SQLite file with the demo tenant
      When the administrator verifies the demo tenant's audit trail
      Then the command says the audit trail is intact
      When someone alters a record of the audit trail in the file
      And the administrator verifies the demo tenant's audit trail
      Then the command fails in one line saying the audit trail is broken

    @R-16.3
    Scenario: Customers exported to a file, edited and imported again are updated, with a summary
      Given a migrated SQLite file with the demo tenant
      And the demo tenant applies imports at once
      When the administrator exports the demo tenant's customers to a CSV file
      And changes the region of "CUS-0001" to "Johor" in the file
      And imports the file updating customers already there
      Then the import summary shows 12 rows: 1 updated and 11 skipped
      And "CUS-0001" is now in region "Johor"

    @R-16.3
    Scenario Outline: A bad command line fails in one clear line with a non-zero exit code
      Given a migrated SQLite file with the demo tenant
      When the administrator runs <command>
      Then the command fails in one line mentioning "<words>"

      Examples:
        | command                                                  | words                    |
        | credit-check for "CUS-0001" in MY01 for an amount "lots" | --amount                 |
        | credit-check for "CUS-9999" in MY01 for an amount "100"  | not found                |
        | an API key for "eve" with role "wizard"                  | wizard                   |
        | any command on storage "oracle://erp-db"                 | no storage adapter       |
