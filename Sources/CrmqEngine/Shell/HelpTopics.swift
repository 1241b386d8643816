/// The CRM concepts `.help TOPIC` explains, for trainers: a few lines each, then live queries on the
/// data that show the idea. Every query here runs on the demo dataset (a test runs them all).
struct HelpTopic: Sendable {
    /// The word after `.help`.
    var name: String
    /// Other words that find the topic (`.help deals` finds opportunities).
    var aliases: [String]
    var title: String
    var text: String
    var queries: [String]

    /// The topic named `word` (case-insensitive, aliases included).
    static func named(_ word: String) -> HelpTopic? {
        let w = word.lowercased()
        return all.first { $0.name == w || $0.aliases.contains(w) }
    }

    /// The demo data's pipelines: the topics' queries spell out their stages as a user would.
    static let demoPipelines = [Pipeline.standard, .enterprise]

    /// The stage names of the demo's pipelines that pass `keep`, as a list: `("Closed Won", "Contract signed")`.
    static func stages(_ keep: (Stage) -> Bool) -> String {
        var seen = Set<String>()
        return CrmqText.list(demoPipelines.flatMap(\.stages).filter { keep($0) && seen.insert($0.name.lowercased()).inserted }.map(\.name))
    }

    /// Open, won and closed deals in every pipeline of the demo data (Sales and Enterprise).
    static let open = "stage not in \(stages(\.isClosed))"
    static let won = "stage in \(stages(\.isWon))"
    static let closed = "stage in \(stages(\.isClosed))"
    static let notLost = "stage not in \(stages { $0.isClosed && !$0.isWon })"

    static let all: [HelpTopic] = [
        HelpTopic(name: "records", aliases: ["objects", "entities", "accounts", "contacts"],
                  title: "records: what a CRM keeps",
                  text: """
                  A CRM keeps records of a few kinds (crmq calls them entities): accounts are the companies
                  you sell to, contacts the people there, leads the possible sales not yet qualified,
                  opportunities the deals, activities the calls, emails, meetings and tasks, plus users,
                  campaigns and cases. Records point at each other, and a dot follows the link:
                  account.industry is the industry of a contact's company. `.schema ENTITY` lists the fields.
                  """,
                  queries: ["find contacts where account is not null show first_name, last_name, role, account.name, account.industry limit 5"]),

        HelpTopic(name: "leads", aliases: ["lead"],
                  title: "leads and lead conversion",
                  text: """
                  A lead is a possible sale at the top of the funnel: a person and a company that showed
                  interest, with a source (web form, referral, event, ...), a status and a score from 0 to 100.
                  Qualifying a lead converts it: it becomes a contact, often with an account and an
                  opportunity, and keeps links to what it became (converted_contact, converted_opportunity).
                  """,
                  queries: ["count leads by status",
                            "find leads where converted_at is not null show last_name, company, source, converted_opportunity.stage order by converted_at desc limit 5"]),

        HelpTopic(name: "conversion", aliases: ["convert", "lead-conversion"],
                  title: "lead conversion",
                  text: """
                  Converting a qualified lead turns it into a contact, finds its company among the accounts
                  (by name, ignoring case) or creates one, and usually opens a deal, in one step that happens
                  whole or not at all: convert lead 42, convert lead 42 with opportunity value 5000, name
                  "Renewal", or convert lead 42 without opportunity. The deal takes the lead's owner, source
                  and campaign and starts in the pipeline's first stage; the lead's activities move to the
                  contact; the lead is marked converted and links to what it became. A lead that is not
                  qualified, or was converted already, is refused with why. The leads ready to convert:
                  """,
                  queries: [#"find leads where status = "qualified" show id, first_name, last_name, company, score, owner.name order by score desc, id limit 5"#,
                            "find leads where converted_at is not null show id, last_name, company, converted_contact, converted_opportunity.stage order by converted_at desc limit 5"]),

        HelpTopic(name: "opportunities", aliases: ["deals", "deal", "opportunity"],
                  title: "opportunities: the deals",
                  text: """
                  An opportunity is a deal you are working on: an account and a main contact, a value, an
                  expected close date, an owner (the sales rep), a stage in the pipeline with its probability,
                  the lead source, and whether it is new business or an existing customer.
                  """,
                  queries: [#"find opportunities where stage = "Negotiation" order by value desc limit 5"#]),

        HelpTopic(name: "pipeline", aliases: ["stages"],
                  title: "pipelines and their stages",
                  text: """
                  A pipeline is the ordered list of stages a deal moves through, each with a probability,
                  ending in a won and a lost stage. The standard one, Sales, runs from Prospecting to
                  Negotiation, then Closed Won or Closed Lost; each deal has a pipeline (field pipeline), and
                  the demo's large new-business deals go through Enterprise. Stages compare and sort in
                  pipeline order, so stage >= "Proposal" means "at least at Proposal". A good stage is a
                  step the buyer has taken, named in the past tense ("Contract received"). `.pipelines`
                  lists them; define pipeline, alter pipeline ... add stage / rename stage / drop stage and
                  drop pipeline change them (.help criteria: what a deal must meet to enter a stage):
                  """,
                  queries: ["count, sum value of opportunities where \(open) by pipeline, stage"]),

        HelpTopic(name: "criteria", aliases: ["exit-criteria", "blocked", "move", "require"],
                  title: "exit criteria: what a deal must meet to enter a stage",
                  text: """
                  require close_date, contact for stage "Proposal" says that a deal may enter Proposal (or
                  any later stage) only with a close date and a contact; any condition works too: require
                  any activities (type = "meeting" and done = true) for stage "Evaluated by team" in pipeline
                  "Enterprise". A deal may enter a stage when the criteria of that stage and of every open
                  stage before it hold (a lost stage needs only its own). move opportunity 17 to
                  "Negotiation" and update ... set stage = ... that would break this are refused whole,
                  naming each deal and criterion; a move records who (.user EMAIL) and when. require nothing
                  for stage "Proposal" drops the stage's criteria. `blocked` finds the open deals whose next
                  stage's criteria are not met yet, what a manager chases:
                  """,
                  queries: ["count opportunities where blocked by pipeline, stage"]),

        HelpTopic(name: "probability", aliases: ["stage-probability"],
                  title: "stage probability",
                  text: """
                  Each stage carries the chance of winning a deal that stands in it: in the Sales pipeline
                  10 % in Prospecting, 60 % at Proposal, 100 % for Closed Won, 0 % for Closed Lost; in
                  Enterprise 50 % at Evaluated by team, 100 % for Contract signed. A deal's probability
                  follows its stage in its own pipeline, and the forecast weights each open deal's value by it.
                  """,
                  queries: ["count opportunities by stage, probability"]),

        HelpTopic(name: "history", aliases: ["stage-history", "stage_changes"],
                  title: "stage history",
                  text: """
                  Every move of a deal from one stage to the next is kept in stage_changes: which deal, from
                  and to which stage, when and by whom. Conversion rates and the length of the sales cycle
                  are computed from this history, not from where deals stand today.
                  """,
                  queries: ["count stage_changes where changed_at within last 90 days by to_stage"]),

        HelpTopic(name: "funnel", aliases: ["conversion-rate", "report-funnel"],
                  title: "the funnel report",
                  text: """
                  The funnel shows how many deals reach each stage and where they drop out.
                  `report funnel [for pipeline P]`: per open/won stage, reached = deals that
                  ever entered that stage or a later non-lost stage (from stage_changes), converted =
                  reached of the next stage / reached of this one, dropped = the difference, open =
                  deals in the stage now, open_value, avg_value; a total row. The pipeline is the
                  standard one ("Sales") unless named; a deal with no pipeline counts as the standard
                  one's. It takes a where, as a find on opportunities does. `explain report funnel`
                  shows the plain statements it runs.
                  """,
                  queries: ["report funnel",
                            #"report funnel for pipeline "Enterprise""#]),

        HelpTopic(name: "forecast", aliases: ["forecasting", "weighted", "report-forecast"],
                  title: "the forecast",
                  text: """
                  A forecast is the revenue expected in a period. The weighted pipeline multiplies each open
                  deal's value by its stage's probability: a 10,000 deal at Proposal (60 %) counts 6,000,
                  value * probability / 100 (a percent counts as its points).
                  `report forecast [PERIOD, default this quarter] [by owner|owner.team|month]`: over deals
                  whose close_date is in the period: won (value closed won), pipeline (value of open
                  deals), weighted (sum of value x probability / 100 of open deals), commit = won + the
                  value of open deals with probability >= 80, best_case = won + all open, and from history
                  win_rate (deals won / deals closed, by count, over the 4 periods of the same length
                  before this one), from_history = won + pipeline x win_rate.
                  """,
                  queries: ["report forecast by owner.team",
                            "sum value, sum value * probability / 100 of opportunities where \(open) and close_date in this quarter by owner.team with totals"]),

        HelpTopic(name: "winrate", aliases: ["closed-won", "won", "win-rate", "closedwon"],
                  title: "closed-won analysis and the win rate: report won",
                  text: """
                  Closed-won analysis looks at the deals you won: with existing customers or new ones, by
                  product, by team or rep, by size. The win rate, won deals out of all closed ones (roughly
                  30 % in a typical CRM), is the key ratio; short sales cycles tend to win more often.
                  report won [PERIOD, default this year] by type|size|product|owner|owner.team|lead_source:
                  deals closed in the period: won, revenue, avg_deal, win_rate (won / closed),
                  median_cycle_days (close_date - created day, won deals; the mean of the two middle values
                  for an even count), win_rate_30 and win_rate_over_30 (closed within 30 days of creation
                  or later - the seed article's claim, testable on the user's own data). Size bands:
                  < 10,000; 10,000-49,999.99; 50,000-249,999.99; >= 250,000.
                  """,
                  queries: ["report won by type",
                            "report won last year by size",
                            "count opportunities where \(closed) and days_between(created_at, close_date) <= 30 by stage"]),

        HelpTopic(name: "functions", aliases: ["expressions", "computed", "arithmetic", "totals"],
                  title: "computed values, functions and totals",
                  text: """
                  Values can be computed wherever a field goes (where, show, order by, by, sum): + - * / and
                  parentheses, exact for money (a percent counts as its points, so value * probability / 100
                  is the weighted value); date - date is days, date + 30 days, created_at - 2 hours. Name a
                  column with as. Functions: year, quarter, month, week (ISO), day, weekday (1 Monday .. 7
                  Sunday), fiscal_year, fiscal_quarter, date(datetime), days_between(a, b), lower, upper,
                  length, coalesce(a, b, ...), round(x, places), abs. A null operand or a division by zero
                  gives null. `with totals` adds a subtotal after each group and a grand total.
                  """,
                  queries: ["find opportunities where close_date < created_at + 90 days and value * probability / 100 >= 5000 show name, value * probability / 100 as weighted, close_date - today as days_left order by weighted desc limit 5",
                            "count opportunities by year(close_date), quarter(close_date) order by year(close_date) desc, quarter(close_date) desc limit 4",
                            "sum value of opportunities by owner.team, type with totals"]),

        HelpTopic(name: "activities", aliases: ["activity", "sales-activity", "tasks", "report-activity"],
                  title: "the sales activity report",
                  text: """
                  Activities are the calls, emails, meetings and tasks of the sales reps, logged by hand or
                  automatically, each with an owner, a due time, whether it is done, and the deal, lead,
                  contact or account it concerns. The activity report shows what each rep did in a period.
                  `report activity [PERIOD, default last 30 days] [by owner|owner.team]`: activities due
                  in the period by type (calls, emails, meetings, tasks), done, open (not done), overdue
                  (not done and due before now), deals_touched (distinct opportunities), and won (the
                  number of the owner's deals closed won in the period).
                  """,
                  queries: ["report activity by owner.team"]),

        HelpTopic(name: "attribution", aliases: ["lead-attribution", "sources", "source"],
                  title: "lead attribution: report attribution",
                  text: """
                  Lead attribution asks where leads come from and which sources bring the best business.
                  report attribution [PERIOD, default last 12 months] [by source|campaign]: leads created in
                  the period: leads, converted, conversion_rate (converted / leads), opportunities (created
                  by their conversions), won (those opportunities now won), won_revenue (their value),
                  revenue_per_lead (won_revenue / leads), avg_days_to_convert. Its where is a condition on
                  leads: report attribution by campaign where owner.team = "DACH".
                  """,
                  queries: ["report attribution",
                            "report attribution last year by campaign"]),

        HelpTopic(name: "360", aliases: ["account-360", "360-view", "customer-view"],
                  title: "the 360-degree customer view",
                  text: """
                  The 360-degree view puts everything about one customer in one place: the account, its
                  contacts, its open and closed deals with the win rate, the last activities and the next
                  ones, its service cases and the campaigns that reached it. show account 42 (or show account
                  "Acme AS") shows it on one screen; show contact, show opportunity (with its stage history)
                  and show lead do the same for theirs. Each section is a plain query on the record's id, which
                  explain show account 42 prints, such as:
                  """,
                  queries: ["find contacts where account = 1 show first_name, last_name, title, role",
                            "find opportunities where account = 1 show name, stage, value, close_date",
                            "count activities where account = 1 by type"]),

        HelpTopic(name: "segmentation", aliases: ["segment"],
                  title: "segmentation",
                  text: """
                  A segment is a named group of accounts or contacts picked by criteria, such as small
                  companies in one region or customers of one product, used to aim a campaign. In crmq a
                  segment is a stored where clause with a name: use it wherever its entity goes, narrow it
                  into another segment, and ask who belongs to it with "in". It is worked out when used,
                  so "within last 30 days" moves with today. (Here the segments live for this help only.)
                  """,
                  queries: ["define segment small_companies as accounts where employees < 20",
                            #"define segment nordic_small as small_companies where country in ("Norway", "Sweden", "Denmark")"#,
                            "count small_companies by country",
                            #"find contacts where account in nordic_small show first_name, last_name, email, account.name limit 5"#]),

        HelpTopic(name: "workflow", aliases: ["automation", "workflow-rules"],
                  title: "workflow rules",
                  text: """
                  Workflow automation does the routine step when something happens: a task to follow up
                  a quote, a new lead routed to the right rep. In crmq a rule acts "on create", "on
                  update" or "on delete" of an entity's records, as part of the change that sets it off
                  ("when stage changes to ..." compares before and after); a time rule ("every day on")
                  acts when "run rules" is run, once per record that comes to meet its condition. A bare
                  field in an action is the triggering record's, and "now" the change's moment. .rules
                  lists them; "explain rule NAME" shows what one would do, changing nothing.
                  (Here the rule lives for this help only.)
                  """,
                  queries: [#"define rule quote_follow_up on update opportunities when stage changes to "Proposal" do create activity type = "task", subject = "Follow up on the quote", owner = owner, opportunity = id, due_at = now + 2 days"#,
                            "explain rule quote_follow_up"]),

        HelpTopic(name: "campaigns", aliases: ["campaign", "marketing"],
                  title: "campaigns",
                  text: """
                  A campaign is a marketing effort on a channel (email, social, ads, events, webinars,
                  partners) with a budget and dates. Leads and deals point at the campaign that brought
                  them, which is how marketing shows what it returned.
                  """,
                  queries: ["count leads where campaign is not null by campaign.channel"]),

        HelpTopic(name: "cases", aliases: ["case", "service", "support"],
                  title: "service cases",
                  text: """
                  A case is a customer's service request, tied to an account or a contact, with a status and
                  a priority. Open urgent cases on an account are worth knowing before a sales call.
                  """,
                  queries: [#"count cases where status != "closed" by priority"#]),

        HelpTopic(name: "permissions", aliases: ["roles-and-grants", "grants", "grant", "revoke", "me"],
                  title: "roles and permissions: who may read and change what",
                  text: """
                  A session runs as a user (--user EMAIL, .user EMAIL, CRMQ_USER); with none it is admin. The
                  user's role decides what they may read and change: admin everything; manager reads all and
                  changes their team's records; sales reads accounts, contacts, users and campaigns and only
                  the leads, deals and activities they own; support reads accounts, contacts, cases, users and
                  deals but not their value, and changes cases. Rows a role may not read are invisible to every
                  query, count, sum, dot path, child collection, report, view and export; naming a field it may
                  not read is an error. Admins change the grants: grant read on cases to sales where
                  account.owner = me; revoke read on opportunities.value from support. .roles lists them.
                  """,
                  queries: ["count users by role"]),

        HelpTopic(name: "owners", aliases: ["users", "teams", "reps"],
                  title: "users, owners, roles and teams",
                  text: """
                  Users are the sales reps and managers. Each record has an owner, the user responsible for
                  it; each user has a role (admin, manager, sales, support) that decides what they may see
                  and change, and belongs to a team. Reports by owner.name or owner.team compare reps;
                  count distinct counts different customers rather than deals, and having keeps the reps
                  whose results pass (it filters the result rows, as where filters the records).
                  """,
                  queries: ["count opportunities where \(open) by owner.team",
                            "count, count distinct account of opportunities where \(won) by owner.name having count >= 60 order by count_distinct_account desc limit 5"]),

        HelpTopic(name: "dates", aliases: ["periods", "relative-dates"],
                  title: "dates and periods",
                  text: """
                  Sales questions are about periods: this quarter, the last 30 days, next month. crmq knows
                  today, yesterday, tomorrow, within last/next N days|weeks|months, and in this/last/next
                  week|month|quarter|year. `.today DATE` pins today for a demo that must look the same every time.
                  """,
                  queries: ["count opportunities where \(notLost) and close_date within next 30 days by stage"]),

        HelpTopic(name: "as-of", aliases: ["asof", "as", "snapshot", "time-travel"],
                  title: "as of: the pipeline as it stood",
                  text: """
                  `as of DATE|PERIOD` right after the entity (or a report's name) reads the data as it stood
                  at the end of that day, or of the period's last day (a date-time: that moment), from the
                  stage history: deals created by then, each with the stage and probability it had then;
                  stage changes made by then; other records with a created_at, those created by then; a
                  lead converted later, not converted yet. Dot paths, any/no/all and count(...) see the same
                  moment. A moment after today means now. A report as of a day is read as on that day: its
                  periods (this quarter, last 30 days) and "now" (overdue) are that day's. Changes cannot say
                  as of: they change the present.
                  """,
                  queries: ["count opportunities as of last quarter by stage",
                            #"find opportunities as of last quarter where stage = "Negotiation" show name, stage, probability, value order by value desc limit 5"#,
                            "report funnel as of last month"]),

        HelpTopic(name: "dashboard", aliases: ["kpi", "key-figures", "report-dashboard"],
                  title: "the dashboard: key figures at a glance",
                  text: """
                  A dashboard shows the few numbers a sales team watches. `report dashboard`: the key
                  figures at a glance (open pipeline and weighted value, won this quarter against last,
                  win rate, average cycle, deals by stage as bars, overdue tasks), fitted to one screen.
                  """,
                  queries: ["report dashboard"]),

        HelpTopic(name: "reports", aliases: ["report"],
                  title: "the reports: funnel, forecast, activity, attribution, won, dashboard",
                  text: """
                  Each report is a statement that runs plain crmq statements and prints one table (csv or
                  json with --format or .format), and at a terminal a chart. `explain report ...` prints
                  the statements and their plans. Each takes a where on its base entity, as a find does
                  (opportunities; activities for activity; leads for attribution):
                  report funnel where owner.team = "DACH". Each takes as of: report funnel as of
                  2026-03-31 runs its statements on the data as it stood then (help as-of).
                  The first column names what the rows are (stage, owner, source, or the by field
                  such as owner.team, month, campaign, type or size; figure in the dashboard's table).
                  PERIOD is any period the language knows: this quarter, last month, last 90 days, next
                  2 weeks, this fiscal year, between 2026-01-01 and 2026-03-31.
                    report funnel [for pipeline P]                         (help funnel)
                    report forecast [PERIOD] [by owner|owner.team|month]   (help forecast)
                    report activity [PERIOD] [by owner|owner.team]         (help activities)
                    report attribution [PERIOD] [by source|campaign]       (help attribution)
                    report won [PERIOD] by type|size|product|owner|owner.team|lead_source (help winrate)
                    report dashboard                                       (help dashboard)
                  Rates are percents with two decimals, rounded half away from zero; a rate over
                  nothing (a division by zero) is empty. Money is exact to the cent. Open, won and
                  closed are the stages' kinds in their pipelines.
                  """,
                  queries: [#"report funnel where owner.team = "DACH""#]),

        HelpTopic(name: "export", aliases: ["csv", "vcard", "vcf", "spreadsheet"],
                  title: "taking the answers out: export",
                  text: """
                  export QUERY to "FILE" writes any find or aggregate to a file, in the format its extension
                  names: .csv (what a spreadsheet opens), .tsv, .json, .jsonl, or .vcf (vCard 4.0, for a
                  find on contacts: what a mail client imports). Try the query first, then put export before
                  it: export find contacts where account in smb to "smb.csv". A text cell starting with
                  = + - @ (which a spreadsheet would run as a formula) is written with a ' before it; raw
                  writes it as it is. An existing file is replaced only when replace is given.
                  """,
                  queries: ["find contacts where account.employees < 20 show first_name, last_name, email, account.name limit 3"]),

        HelpTopic(name: "import", aliases: ["vcards", "bring-your-own-data", "upload"],
                  title: "bringing your data in: import",
                  text: """
                  import ENTITY from "FILE" reads a CSV file (an export of another CRM, a spreadsheet of
                  leads) into an entity; import vcards from "FILE" reads a mail client's contacts. Columns
                  match fields by name, ignoring case, spaces, _ and -; an id column keeps the file's ids.
                    map "E-mail" to email, "Company" to account    ignore "Fax"
                    set pipeline = "Enterprise"      by email (update the record with that key, else create)
                    skip bad rows   decimal comma   date format "dd.mm.yyyy"   encoding latin1
                    delimiter ";"   without history (deals: no stage change recorded)
                  A reference cell holds an id or a name (users: name or email; contacts: email or
                  "first last"; others: name), also of a row further down the same file. One bad row
                  imports nothing and is named with its line and column; skip bad rows imports the rest
                  and writes the bad ones to FILE.rejects.csv. An import is one change in the journal.
                  """,
                  queries: ["find contacts show first_name, last_name, email, account.name limit 3"]),

        HelpTopic(name: "fields", aliases: ["custom-fields", "custom-entities", "customization"],
                  title: "custom fields and entities",
                  text: """
                  Every business tracks something the standard fields lack: a customer tier, a renewal
                  date, the product a deal is about. A custom field is added to an entity and is then
                  used like any other field; a custom entity (products) gets its own records, and a
                  reference to it works in dot paths and child collections.
                    add field NAME to ENTITY as TYPE       text, int, money, percent, bool, date, datetime,
                                                           enum ("A", "B"), reference to ENTITY
                    rename field NAME to NEW in ENTITY     drop field NAME from ENTITY
                    add entity products (name text, series text, list_price money)
                  Standard fields stay; a field a segment or an exit criterion uses is kept until they go.
                  (Here the help works on a copy: your data is not changed.)
                  """,
                  queries: [#"add field tier to accounts as enum ("Gold", "Silver", "Bronze")"#,
                            #"update accounts set tier = "Gold" where annual_revenue > 100000000"#,
                            "count accounts by tier"]),

        HelpTopic(name: "sandbox", aliases: ["what-if", "try"],
                  title: "the sandbox: trying changes on a copy",
                  text: """
                  Before a bulk update, a new field or a new pipeline goes live, try it on a copy of the
                  data: after sandbox, every change stays in memory (nothing is written to the file) and
                  the prompt says crmq (sandbox)>. Query the result as usual, then:
                    sandbox diff       what would change: records created, updated (old -> new), deleted,
                                       per entity with the first rows; schema and catalog changes
                    sandbox apply      commit it all as one transaction (refused, saying why, when another
                                       crmq process changed the same records meanwhile)
                    sandbox discard    throw it away: the data is as it was
                  begin/commit work inside a sandbox; save and .open wait until it ends. Leaving crmq
                  with a sandbox open asks whether to apply it (a script discards it, and says so).
                  """,
                  queries: ["sandbox",
                            #"update opportunities set stage = "Negotiation" where stage = "Proposal" and value > 20000"#,
                            "sandbox diff", "sandbox discard"]),

        HelpTopic(name: "quality", aliases: ["data-quality", "cleanup"],
                  title: "data quality",
                  text: """
                  A CRM is only as good as its data: contacts with no company or no email, deals whose close
                  date passed while they are still open, converted leads with no contact. Finding them is the
                  first step of a clean-up.
                  """,
                  queries: ["count contacts where email is null or phone is null",
                            "count opportunities where \(open) and close_date before today"]),
    ]
}
