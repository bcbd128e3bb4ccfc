"""Generate the bundled example: a council decides how to stop sales-order errors.

Writes ``requirements.csv``, ``members.csv`` and ``scores.csv`` next to this file. The CSVs
are the committed data; this script shows how they were made and reproduces them byte for
byte (``python examples/sales-order-errors/generate.py``).

How a score is made:

- Every requirement has an intended panel mean per criterion, its *profile*. Where a
  criterion has owners (legal necessity: Legal; operational feasibility: Operations;
  implementation cost: Finance; data and security risk: IT), the profile is the owners'
  mean, because only their scores count.
- Some scores are *said*: pinned, with the reason the member gave in the room. Every
  owner's score on a single-owner criterion is said, so every requirement carries the
  owner's reasoning.
- The other counted scores lean by department (Sales rates revenue higher, IT rates time
  higher, ...) and by requirement (Sales dislikes a commission rule), get bounded noise,
  and are then rounded so that the panel mean equals the profile to the nearest 1/n. A
  free score stays within one point of the free members' mean and two points of what was
  said, and reaches the bottom of a scale only where the profile is near it.
- Outside REQ-002 the council disagrees but never splits into two camps (two or more
  members at 2 or below and two or more at 4 or above): such a split is pulled together
  without moving the mean. REQ-002, the one polarised item, says every score on customer
  impact: Sales, Marketing and Finance against Operations, Service, Audit and the customer.
- Scores that do not count (a non-owner on an owned criterion) are advisory: they lean
  and jitter around the profile but never move the result.
- Reasons not said in the room come from short remarks that fit the score given, some in
  a department's voice, some only for requirements of a theme (a check at entry, a bought
  tool, ...). A member explains a score more often when it is off the panel's mean, never
  repeats a remark word for word, and two members never make the same remark on the same
  requirement and criterion. Scores and reasons use separate random streams, so editing
  a remark never changes a score.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CRITERIA_FILE = HERE.parent.parent / "criteria" / "customer-operations.yaml"
SEED = "sales-order-errors-2024"
NOISE = 0.45  # uniform noise on a free score, in scale points, before rounding
P_EXPLAIN_OFF = 0.85  # chance a member gives a reason for a score off the panel's mean
P_EXPLAIN_ON = 0.55  # ... for a score near the panel's mean
P_EXPLAIN_ADVISORY = 0.2  # ... for an advisory score (criterion owned by another department)

# Short names used in the data below, mapped to the criterion ids of the criteria set.
ALIASES = {
    "ci": "customer_impact",
    "er": "error_reduction",
    "rr": "revenue_retention",
    "legal": "legal_necessity",
    "feas": "operational_feasibility",
    "cost": "implementation_cost",
    "time": "time_required",
    "risk": "data_security_risk",
    "effort": "employee_effort",
    "strat": "strategic_alignment",
}

Said = tuple[str, str, int, str]  # (member id or department, criterion alias, score, reason)
Leaning = tuple[str, str, float]  # (department, criterion alias, shift in scale points)


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    name: str
    department: str
    role: str
    job: str  # told in the README; not a column of members.csv


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    title: str
    description: str
    requested_by: str
    personas: tuple[str, ...]
    scenario: str
    evidence: str
    profile: dict[str, float]
    said: tuple[Said, ...] = ()
    leanings: tuple[Leaning, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoreRow:
    requirement_id: str
    member: str
    criterion: str
    score: int
    reason: str


def profile(
    *,
    ci: float,
    er: float,
    rr: float,
    legal: float,
    feas: float,
    cost: float,
    time: float,
    risk: float,
    effort: float,
    strat: float,
) -> dict[str, float]:
    """The intended panel mean of each criterion, keyed by criterion id."""
    given = {
        "ci": ci,
        "er": er,
        "rr": rr,
        "legal": legal,
        "feas": feas,
        "cost": cost,
        "time": time,
        "risk": risk,
        "effort": effort,
        "strat": strat,
    }
    return {ALIASES[alias]: value for alias, value in given.items()}


# The facilitator, Priya Raman, owns the order-to-cash process and also scores: Operations
# owns operational feasibility and the council wanted both the process owner's and the
# order desk's view on it. The PMO observer records the round and does not score.
MEMBERS: tuple[Member, ...] = (
    Member("m01", "Priya Raman", "Operations", "facilitator", "Head of Order-to-Cash"),
    Member("m02", "Jonas Weber", "Sales", "member", "Key Account Manager"),
    Member("m03", "Lucía Fernández", "Sales", "member", "Inside Sales Team Lead"),
    Member("m04", "Tomasz Nowak", "Operations", "member", "Order Desk Supervisor"),
    Member("m05", "Hannah Okafor", "Legal", "member", "Corporate Counsel, Data Protection"),
    Member("m06", "Daniel Mensah", "Finance", "member", "Finance Controller"),
    Member("m07", "Mei Lin Tan", "Internal Audit", "member", "Senior Internal Auditor"),
    Member("m08", "Rafael Costa", "IT", "member", "Enterprise Architect"),
    Member("m09", "Aisha Rahman", "Customer Service", "member", "Service Desk Team Lead"),
    Member("m10", "Claire Dubois", "Marketing", "member", "Product Marketing Manager"),
    Member(
        "m11",
        "Erik Johansson",
        "Customer",
        "member",
        "Facilities Manager at Nordhavn Logistics, customer advisory board",
    ),
    Member("m12", "Samuel Adeyemi", "HR", "member", "HR Business Partner, Sales & Service"),
    Member("m13", "Nadia Petrova", "PMO", "observer", "Portfolio Office Lead"),
)

# How each department tends to lean, in scale points, whatever the requirement.
DEPARTMENT_LEANINGS: dict[str, dict[str, float]] = {
    "Operations": {"er": 0.3, "effort": 0.3},
    "Sales": {"rr": 0.6, "ci": 0.2, "cost": -0.5, "time": -0.4, "effort": 0.3},
    "Legal": {"risk": 0.4, "strat": -0.2},
    "Finance": {"rr": -0.3, "time": 0.2},
    "Internal Audit": {"er": 0.4, "legal": 0.6, "effort": -0.3},
    "IT": {"cost": 0.5, "time": 0.5, "feas": -0.3},
    "Customer Service": {"ci": 0.4, "er": 0.2},
    "Marketing": {"strat": 0.4, "rr": 0.3, "ci": 0.2},
    "Customer": {"ci": 0.3, "strat": -0.4, "time": 0.3},
    "HR": {"effort": 0.4, "time": 0.2},
}

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "REQ-001",
        "Validate mandatory customer fields at order entry",
        "The order screen does not save an order until legal entity name, VAT number, billing "
        "address, delivery address and a named contact are complete and correctly formatted.",
        "Operations",
        ("Order desk clerk", "Sales rep"),
        "Order entry",
        "412 of 2,380 Q3 orders corrected by hand after entry; 57% of those corrections were "
        "missing or malformed customer fields",
        profile(
            ci=4.5,
            er=4.6,
            rr=3.5,
            legal=4,
            feas=4.5,
            cost=2,
            time=1.5,
            risk=1,
            effort=2.2,
            strat=4.2,
        ),
        said=(
            (
                "Legal",
                "legal",
                4,
                "VAT invoices need the legal name and VAT number; the "
                "auditor flagged 23 invalid invoices last year",
            ),
            ("Finance", "cost", 2, "Configuration in the ERP we have; about 25k with testing"),
            ("IT", "risk", 1, "Validation rules on fields we already hold; no new data flow"),
            (
                "m04",
                "feas",
                5,
                "My clerks already chase these fields by phone; the screen would simply ask first",
            ),
            (
                "Customer Service",
                "ci",
                5,
                "A third of our 'where is my invoice' calls are wrong billing details",
            ),
            (
                "Internal Audit",
                "er",
                5,
                "Stops the error at the source instead of at month-end reconciliation",
            ),
            (
                "m03",
                "effort",
                3,
                "Adds a minute per order when the customer hasn't sent the VAT number yet",
            ),
        ),
    ),
    Requirement(
        "REQ-002",
        "One approved product and service catalogue",
        "Sales quotes only from a single catalogue of approved products, bundles and service "
        "levels maintained by product management; free-text items and the four regional "
        "price lists are retired.",
        "Operations",
        ("Sales rep", "Product manager", "Order desk clerk"),
        "Quote",
        "1,140 active SKUs across 4 regional price lists; 23% of Q3 order lines were "
        "free-text items; 14 of 38 Q3 credit notes traced to free-text lines",
        profile(
            ci=3.33,
            er=4.75,
            rr=3.4,
            legal=2,
            feas=2.5,
            cost=4,
            time=3.8,
            risk=1,
            effort=3,
            strat=4.6,
        ),
        said=(
            # The split: Sales, Marketing and Finance fear losing the tailored offers and
            # special deals customers buy from us; the people who clean up after free-text
            # lines, and the customer, do not.
            (
                "m02",
                "ci",
                1,
                "Customers buy from us because we tailor; a fixed list takes that away",
            ),
            (
                "m03",
                "ci",
                1,
                "Half my quotes need a non-standard item; customers will wait "
                "days for catalogue approvals",
            ),
            ("m10", "ci", 1, "Regional bundles disappear; customers get a rigid menu"),
            (
                "m01",
                "ci",
                5,
                "Customers get exactly what they ordered, with the service that goes with it",
            ),
            ("m04", "ci", 5, "Free-text lines are where wrong products come from"),
            ("m07", "ci", 5, "Every customer complaint I sampled started on a free-text line"),
            ("m09", "ci", 5, "Most 'this isn't what we ordered' calls trace to a free-text item"),
            (
                "m11",
                "ci",
                5,
                "I want to see what I'm buying and which service comes with it, in plain words",
            ),
            ("m05", "ci", 4, "Clear product and service terms mean fewer disputes with customers"),
            (
                "m06",
                "ci",
                1,
                "Customers with negotiated special items lose them; expect pushback at renewals",
            ),
            ("m08", "ci", 4, "One list behind the quote, the order and the invoice"),
            ("m12", "ci", 3, "Clearer for customers, but some will miss their special items"),
            ("Legal", "legal", 2, "Good practice for clear contract terms; no obligation"),
            (
                "Finance",
                "cost",
                4,
                "PIM licence, data clean-up of 1,140 SKUs and a product "
                "manager for a year: about 420k",
            ),
            ("IT", "risk", 1, "Product data only; no customer data moves"),
            (
                "m04",
                "feas",
                2,
                "Every non-standard deal needs a new approval path; big "
                "process change for sales and us",
            ),
            ("m01", "feas", 3, ""),
            (
                "Sales",
                "rr",
                2,
                "We lose deals where the customer wants something slightly different",
            ),
            ("Internal Audit", "er", 5, "Removes free-text lines, the root of most product errors"),
            ("Marketing", "strat", 4, "Fits 'customers before politics', if bundles survive"),
        ),
        leanings=(
            ("Sales", "rr", -1.2),
            ("Marketing", "rr", -0.8),
            ("Sales", "strat", -0.8),
            ("Sales", "effort", 0.8),
        ),
    ),
    Requirement(
        "REQ-003",
        "Replace disconnected customer systems with one CRM",
        "Retire the three customer databases (ERP customer master, the service-desk tool and "
        "the sales team's spreadsheet CRM) and run sales, service and billing on one CRM with "
        "a single customer record.",
        "IT",
        ("Sales rep", "Service agent", "Billing clerk", "Order desk clerk"),
        "Customer onboarding",
        "Customer data kept in 3 systems; 31,000 customer records in the ERP vs 24,500 in the "
        "service tool; 1 in 6 service tickets starts with reconciling the customer's details",
        profile(
            ci=4.4, er=4.4, rr=4.2, legal=3, feas=2, cost=5, time=4.8, risk=4, effort=3.2, strat=4.8
        ),
        said=(
            (
                "Legal",
                "legal",
                3,
                "One record makes access and erasure requests answerable; "
                "today we search three systems",
            ),
            (
                "Finance",
                "cost",
                5,
                "Licences plus migration: 1.4M over three years, before internal time",
            ),
            (
                "IT",
                "risk",
                4,
                "All 31,000 customer records migrate; new integrations with ERP and billing",
            ),
            (
                "m04",
                "feas",
                2,
                "Every team changes how it works; needs a transition team for a year",
            ),
            ("m01", "feas", 2, "Sales, service and billing processes all have to be redrawn"),
            (
                "Sales",
                "rr",
                5,
                "Key accounts see one history; fewer renewals lost to service mix-ups",
            ),
            ("Marketing", "strat", 5, "This is 'one view of the customer' from the strategy deck"),
            (
                "HR",
                "effort",
                4,
                "About 180 people to retrain; expect a productivity dip for a quarter",
            ),
            ("IT", "time", 5, "Realistically 18 months in three waves"),
            ("Customer", "ci", 5, "We'd stop telling three departments the same thing"),
        ),
    ),
    Requirement(
        "REQ-004",
        "Redesign the weekly order-volume report layout",
        "Change the layout of the weekly order-volume PDF sent to regional managers: new "
        "colours, charts instead of tables, regions sorted by revenue instead of by name.",
        "Sales",
        ("Regional sales manager",),
        "Reporting",
        "Report read by 9 regional managers; 2 asked for the change in the last year; no "
        "decision depends on it",
        profile(ci=2, er=2, rr=2, legal=1, feas=5, cost=1, time=1.2, risk=1, effort=1.8, strat=2.1),
        said=(
            ("Legal", "legal", 1, "Internal report; no legal angle"),
            ("Finance", "cost", 1, "Half a day of a report developer's time"),
            ("IT", "risk", 1, "Same data, same recipients; only the layout changes"),
            ("m04", "feas", 5, "Nothing changes for the order desk"),
            ("Customer Service", "ci", 2, "Customers never see this report"),
            ("m02", "strat", 3, "Managers would read it faster; a small thing"),
            ("Customer", "ci", 2, "Makes no difference to us"),
        ),
        leanings=(("Sales", "ci", 0.5), ("Sales", "strat", 0.6)),
    ),
    Requirement(
        "REQ-005",
        "Add a fourth approval signature on every order",
        "Every sales order needs a fourth sign-off, by the regional finance manager, before "
        "release to fulfilment, on top of sales rep, sales manager and order desk.",
        "Finance",
        ("Sales rep", "Sales manager", "Regional finance manager", "Order desk clerk"),
        "Order entry",
        "Proposed after one 84k order shipped with the wrong product family; orders already "
        "wait 1.6 days on average for three signatures",
        profile(
            ci=1.3, er=2.3, rr=1.6, legal=1, feas=2, cost=1, time=1, risk=1, effort=4.8, strat=1.2
        ),
        said=(
            (
                "Legal",
                "legal",
                1,
                "No legal requirement; three signatures already meet the signing policy",
            ),
            ("Finance", "cost", 1, "No build cost; one more step in the approval workflow"),
            ("IT", "risk", 1, "Uses the existing approval workflow"),
            ("m04", "feas", 2, "Adds a day to release; clerks would chase signatures all day"),
            ("Finance", "er", 4, "A finance look would have caught the 84k order"),
            (
                "Internal Audit",
                "er",
                2,
                "A fourth signature on every order becomes a rubber "
                "stamp; target the large ones instead",
            ),
            ("m03", "ci", 1, "Customers already complain that confirmations take two days"),
            ("Customer", "ci", 1, "We'd wait even longer for confirmation and install dates"),
            (
                "HR",
                "effort",
                5,
                "Four regional finance managers would sign about ten orders "
                "a day each on top of their job",
            ),
            ("Marketing", "strat", 1, "The opposite of fewer handoffs"),
        ),
        leanings=(
            ("Finance", "ci", 0.8),
            ("Finance", "strat", 1.0),
            ("Internal Audit", "strat", 0.5),
        ),
    ),
    Requirement(
        "REQ-006",
        "Record consent and lawful basis on customer records",
        "Each customer contact stores the lawful basis for processing and, where marketing "
        "relies on consent, when and how consent was given or withdrawn; marketing lists use "
        "only contacts with a valid basis.",
        "Legal",
        ("Marketing manager", "Sales rep", "Service agent"),
        "Customer onboarding",
        "GDPR Art. 6, 7(1) and 30: we must show the basis and prove consent; 14,800 contacts "
        "with no recorded basis; 2 data-subject complaints in 2024 not answered within a month",
        profile(
            ci=3.6, er=2.6, rr=2.4, legal=5, feas=3.5, cost=2, time=2, risk=2, effort=2.8, strat=3.2
        ),
        said=(
            (
                "Legal",
                "legal",
                5,
                "Required by GDPR Art. 6, 7 and 30; we cannot prove "
                "consent for 14,800 contacts today",
            ),
            (
                "Finance",
                "cost",
                2,
                "Two fields and a consent log in the ERP; about 40k including the clean-up",
            ),
            ("IT", "risk", 2, "New fields on existing records, with an audit trail on changes"),
            ("m04", "feas", 3, "Clerks must ask for and record the basis for every new contact"),
            ("m01", "feas", 4, ""),
            ("Marketing", "rr", 2, "Shrinks our mailing list by about a third at first"),
            ("Customer", "ci", 4, "We get mailings for people who left years ago; this fixes that"),
            ("Internal Audit", "legal", 5, "A regulator would ask for exactly this record"),
        ),
    ),
    Requirement(
        "REQ-007",
        "Validate addresses against the postal reference",
        "Billing, delivery and installation addresses are checked against the national "
        "postal address file while typing; an unknown address needs an explicit override with "
        "a reason.",
        "Customer Service",
        ("Order desk clerk", "Sales rep", "Service technician"),
        "Order entry",
        "61 failed installation visits in Q3, 24 of them at a wrong or incomplete address; "
        "310 invoices returned undeliverable in 2024",
        profile(
            ci=4.4, er=4.5, rr=3.4, legal=4, feas=4.5, cost=2, time=2, risk=3, effort=1.6, strat=3.6
        ),
        said=(
            (
                "Legal",
                "legal",
                4,
                "VAT invoices must carry the full address; the audit found 310 incomplete ones",
            ),
            ("Finance", "cost", 2, "Postal file subscription 18k a year plus about 20k to connect"),
            (
                "IT",
                "risk",
                3,
                "New interface to the postal service; addresses leave our "
                "network under a processing agreement",
            ),
            ("m04", "feas", 5, "Clerks type less: they pick the address from the list"),
            ("Customer Service", "ci", 5, "Technicians stop driving to addresses that don't exist"),
            ("Sales", "effort", 2, "Faster than typing the whole address"),
            ("Customer", "ci", 4, "Our deliveries went to the old depot twice this year"),
        ),
    ),
    Requirement(
        "REQ-008",
        "Compatibility rules between products and services",
        "The order system checks each line against rules for what works together (controller "
        "firmware vs installed panels, service level vs product family) and against the "
        "customer's contract; an incompatible combination is blocked with an explanation.",
        "Operations",
        ("Sales rep", "Order desk clerk", "Service technician"),
        "Quote",
        "17 of 38 Q3 credit notes (71k) were for products that did not fit the customer's "
        "installed system or contract; 11 return shipments",
        profile(
            ci=4.4, er=4.7, rr=4, legal=2, feas=3.5, cost=3, time=3, risk=2, effort=2.2, strat=4.2
        ),
        said=(
            ("Legal", "legal", 2, "Contract mismatches are a commercial exposure, not a legal one"),
            (
                "Finance",
                "cost",
                3,
                "Rules engine add-on 90k plus product managers' time to write the rules",
            ),
            ("IT", "risk", 2, "Reads product and contract data we already hold"),
            (
                "m04",
                "feas",
                3,
                "Product managers must keep the rules current; clerks need training on overrides",
            ),
            ("Sales", "rr", 5, "Every wrong product is a credit note and an annoyed customer"),
            (
                "Customer",
                "ci",
                5,
                "We were sold a controller that didn't talk to our panels; "
                "two site visits to fix it",
            ),
            (
                "Internal Audit",
                "er",
                5,
                "Makes incompatible combinations impossible, not just rarer",
            ),
        ),
    ),
    Requirement(
        "REQ-009",
        "Service-detail checklist before order release",
        "An order with a service component cannot be released to fulfilment until service "
        "level, installation address, a site contact with phone number and access times are "
        "filled and confirmed.",
        "Customer Service",
        ("Order desk clerk", "Service planner", "Service technician"),
        "Fulfilment",
        "61 failed installation visits in Q3 at about 350 each; 37 had no site contact or "
        "access times on the order",
        profile(
            ci=4.6, er=4.4, rr=3.6, legal=4, feas=4, cost=1, time=1.4, risk=1, effort=2.8, strat=3.8
        ),
        said=(
            (
                "Legal",
                "legal",
                4,
                "Our service contracts promise response times; the SLA "
                "audit flagged orders with no service level",
            ),
            (
                "Finance",
                "cost",
                1,
                "Mandatory fields and a release check in the current system; under 10k",
            ),
            ("IT", "risk", 1, "No new data; a status check before release"),
            ("m04", "feas", 4, "Fits our release step; clerks need the site contact up front"),
            (
                "Customer Service",
                "ci",
                5,
                "Missed visits are our top complaint; 37 of 61 had no contact",
            ),
            (
                "Sales",
                "effort",
                4,
                "Reps will have to chase site contacts before the order goes in",
            ),
            ("Customer", "ci", 5, "The technician comes when we're there and knows the SLA"),
        ),
    ),
    Requirement(
        "REQ-010",
        "Item specification templates per product family",
        "Each product family gets a structured specification template (dimensions, voltage, "
        "firmware, mounting, accessories) with allowed values, replacing free-text "
        "specifications.",
        "Operations",
        ("Sales rep", "Order desk clerk", "Warehouse picker"),
        "Order entry",
        "128 Q3 orders sent back by the warehouse for unclear specifications; the "
        "specification field is free text on every order line",
        profile(
            ci=3.6,
            er=4.4,
            rr=3.2,
            legal=1,
            feas=3.5,
            cost=2,
            time=2.2,
            risk=1,
            effort=2.6,
            strat=3.4,
        ),
        said=(
            ("Legal", "legal", 1, "No legal angle"),
            (
                "Finance",
                "cost",
                2,
                "Templates in the existing ERP; about 35k including product managers' time",
            ),
            ("IT", "risk", 1, "Structured fields on existing order lines"),
            (
                "m04",
                "feas",
                3,
                "Product management must own 14 templates; clerks need half a day of training",
            ),
            ("m01", "er", 5, "Unclear specifications are our second most common correction"),
            ("Sales", "effort", 3, "More clicks per line on complex orders"),
            ("Customer", "ci", 3, "Fewer wrong items, though we never see the template"),
        ),
    ),
    Requirement(
        "REQ-011",
        "Detect duplicate customers at creation",
        "When a customer is created the system searches for likely duplicates by name, VAT "
        "number and address and proposes the existing record; a monthly merge queue clears "
        "the backlog.",
        "Finance",
        ("Order desk clerk", "Sales rep", "Billing clerk"),
        "Customer onboarding",
        "About 2,200 duplicate customer records (7% of 31,000); 44 Q3 invoices went to a "
        "closed duplicate account",
        profile(
            ci=3.8, er=4.3, rr=3.2, legal=3, feas=4, cost=2, time=2.4, risk=2, effort=2, strat=4.4
        ),
        said=(
            (
                "Legal",
                "legal",
                3,
                "GDPR requires accurate data; duplicates keep outdated contacts alive",
            ),
            ("Finance", "cost", 2, "Matching module is in our ERP licence; 30k to configure"),
            ("IT", "risk", 2, "Matching runs inside the ERP on data we already hold"),
            ("m04", "feas", 4, "Clerks pick the existing record instead of creating one"),
            (
                "Internal Audit",
                "er",
                5,
                "Stops the duplicate at creation; the merge queue clears the backlog",
            ),
            ("Marketing", "strat", 5, "One customer, one record: straight from the strategy"),
            (
                "Customer Service",
                "ci",
                4,
                "Agents stop asking customers which of three accounts is theirs",
            ),
        ),
    ),
    Requirement(
        "REQ-012",
        "Rebuild the order screens in a new UI framework",
        "Rewrite all order-entry screens as a single-page web application in a modern "
        "front-end framework, with the same fields and rules as today.",
        "IT",
        ("Order desk clerk", "Sales rep"),
        "Order entry",
        "Screens are 11 years old; no user complaint about them logged in 2024; no error type "
        "in the Q3 analysis is attributed to the screens",
        profile(
            ci=2.6, er=2.4, rr=2, legal=1, feas=2.5, cost=4, time=4.2, risk=3, effort=3.2, strat=2.4
        ),
        said=(
            ("Legal", "legal", 1, "No legal driver"),
            ("Finance", "cost", 4, "Estimate 450k for a like-for-like rebuild"),
            ("IT", "risk", 3, "The new front end talks to the ERP through a new API layer"),
            ("m04", "feas", 2, "Every clerk relearns every screen for the same result"),
            ("m01", "feas", 3, ""),
            ("Customer", "ci", 2, "We never see the order screens"),
            (
                "Internal Audit",
                "er",
                2,
                "Same fields, same rules: the same errors on a nicer screen",
            ),
            ("HR", "effort", 4, "Retraining 60 order-desk and sales staff for no new capability"),
            ("IT", "strat", 4, "Gets us off an unsupported front-end stack"),
        ),
        leanings=(("IT", "ci", 0.8), ("IT", "er", 0.6)),
    ),
    Requirement(
        "REQ-013",
        "Custom BI suite for sales order analytics",
        "Build an in-house analytics suite with 40 dashboards on order volumes, margins and "
        "rep performance, with its own data warehouse.",
        "Marketing",
        ("Marketing manager", "Sales manager"),
        "Reporting",
        "Existing ERP reports already cover 31 of the 40 dashboards; no business question "
        "was named that today's reports cannot answer",
        profile(ci=2, er=2.2, rr=2.4, legal=1, feas=3, cost=4, time=4, risk=4, effort=3, strat=2.6),
        said=(
            (
                "Legal",
                "legal",
                1,
                "No legal requirement; adds a data store to our records of processing",
            ),
            ("Finance", "cost", 4, "Warehouse, licences and two developers for a year: about 600k"),
            (
                "IT",
                "risk",
                4,
                "Copies all order and customer data into a new warehouse with broad access",
            ),
            (
                "m04",
                "feas",
                3,
                "Someone has to own 40 dashboards; nobody on my team asked for them",
            ),
            ("Marketing", "rr", 4, "Margin dashboards would show where to push campaigns"),
            ("Customer", "ci", 2, "No effect on us"),
            ("Finance", "rr", 2, "31 of the 40 dashboards exist; the other 9 won't move revenue"),
        ),
        leanings=(("Marketing", "strat", 0.8), ("Sales", "rr", 0.4)),
    ),
    Requirement(
        "REQ-014",
        "Delete customer data after the retention period",
        "Customer and contact data of customers inactive beyond the retention period is "
        "deleted or anonymised automatically in every system, with a log; invoices are kept "
        "for the statutory ten years.",
        "Legal",
        ("Data protection officer", "Billing clerk", "Service agent"),
        "Customer data maintenance",
        "GDPR Art. 5(1)(e) storage limitation; 9,600 contacts of customers inactive for more "
        "than 6 years; no deletion has ever run",
        profile(
            ci=2.4, er=2.2, rr=2, legal=5, feas=2.5, cost=4, time=3.6, risk=3, effort=3.4, strat=2.6
        ),
        said=(
            (
                "Legal",
                "legal",
                5,
                "GDPR storage limitation: we keep 9,600 inactive contacts with no basis",
            ),
            (
                "Finance",
                "cost",
                4,
                "Deletion must work across ERP, service tool and spreadsheets: about 250k",
            ),
            ("IT", "risk", 3, "Deletion jobs need write access to all three customer stores"),
            (
                "m04",
                "feas",
                2,
                "Three systems with different data; every deletion needs a check for open orders",
            ),
            ("Marketing", "rr", 2, "Removes old contacts we sometimes win back"),
            ("Internal Audit", "er", 2, "Doesn't prevent order errors; it is about retention"),
            ("Internal Audit", "legal", 5, "Storage limitation is not optional"),
        ),
    ),
    Requirement(
        "REQ-015",
        "Re-key all web orders centrally at head office",
        "Orders placed in the customer web shop are printed and typed again into the ERP by "
        "the central order desk, so that one team checks every order.",
        "Operations",
        ("Order desk clerk", "Web shop customer"),
        "Order entry",
        "The web shop takes 2,900 orders a year and already validates products; manual "
        "re-keying was measured at 3.1% wrong lines",
        profile(
            ci=1.6, er=1.4, rr=1.8, legal=1, feas=2, cost=2, time=1.6, risk=2, effort=4.8, strat=1.2
        ),
        said=(
            ("Legal", "legal", 1, "No legal driver"),
            (
                "Finance",
                "cost",
                2,
                "No build; about 20k to set up and train the central desk, staff cost on top",
            ),
            ("IT", "risk", 2, "Printed orders with customer data travel by internal mail"),
            (
                "m04",
                "feas",
                2,
                "The central desk would need two more clerks to re-type 2,900 orders",
            ),
            ("Internal Audit", "er", 1, "Re-typing adds errors: 3.1% of re-keyed lines are wrong"),
            ("Customer", "ci", 1, "Our web orders would be confirmed a day later"),
            ("Marketing", "strat", 1, "Runs against self-service and fewer handoffs"),
        ),
    ),
    Requirement(
        "REQ-016",
        "Customer confirms the order summary before fulfilment",
        "After entry the customer receives an order summary with items, specifications, "
        "service level, installation address and site contact, and confirms or corrects it "
        "online before the order is released.",
        "Customer Service",
        ("Customer purchaser", "Sales rep", "Order desk clerk"),
        "Fulfilment",
        "Customers reported 96 wrong Q3 orders only after delivery; a pilot with 40 orders "
        "caught 7 errors before release",
        profile(
            ci=4.2,
            er=4.2,
            rr=3.6,
            legal=2,
            feas=3.5,
            cost=2,
            time=1.8,
            risk=2,
            effort=2.8,
            strat=3.8,
        ),
        said=(
            ("Legal", "legal", 2, "Good practice: confirms what was agreed"),
            ("Finance", "cost", 2, "Uses the existing customer e-mail service; about 30k"),
            (
                "IT",
                "risk",
                2,
                "Order data goes to the customer's named contact; standard e-mail controls",
            ),
            (
                "m04",
                "feas",
                3,
                "Orders wait for the customer; we need a rule for customers who never answer",
            ),
            ("Sales", "effort", 4, "Reps will chase customers who don't confirm"),
            ("Customer", "ci", 5, "We'd catch the wrong item before it's on a truck"),
        ),
    ),
    Requirement(
        "REQ-017",
        "Customer self-service portal for contact and site details",
        "Customers maintain their own contacts, billing and installation addresses, site "
        "access times and service contacts in a secure portal; changes flow to the ERP and "
        "the service tool.",
        "Marketing",
        ("Customer purchaser", "Facilities manager", "Service agent"),
        "After-sales service",
        "1,900 change requests for contact or address data by phone or e-mail in 2024; 9 "
        "days on average until a change reaches the service tool",
        profile(
            ci=4.2, er=3.8, rr=3.6, legal=2, feas=3, cost=4, time=3.8, risk=4, effort=2, strat=4.2
        ),
        said=(
            (
                "Legal",
                "legal",
                2,
                "Customers correcting their own data helps accuracy; no obligation",
            ),
            (
                "Finance",
                "cost",
                4,
                "Portal licence, identity management and two integrations: about 320k",
            ),
            (
                "IT",
                "risk",
                4,
                "Opens customer-data editing to 3,100 external companies; "
                "needs strong identity checks",
            ),
            ("m04", "feas", 3, "Changes must be reviewed before they reach billing"),
            ("Customer", "ci", 5, "We change a site contact once and it's right everywhere"),
            ("Customer Service", "effort", 1, "Takes 1,900 change calls a year off my team"),
        ),
    ),
    Requirement(
        "REQ-018",
        "Configure-price-quote tool with guided selling",
        "A CPQ tool guides the rep through product, options and service level in the right "
        "order, applies compatibility and pricing rules, and produces quote and order from "
        "one configuration.",
        "Sales",
        ("Sales rep", "Sales engineer", "Order desk clerk"),
        "Quote",
        "Quotes for configurable systems take 2.5 days on average; 31% of configurable orders "
        "changed after the quote; competitors quote the same day",
        profile(
            ci=3.8, er=4.4, rr=4.4, legal=1, feas=2.5, cost=4, time=3.8, risk=3, effort=3, strat=4
        ),
        said=(
            ("Legal", "legal", 1, "No legal driver"),
            ("Finance", "cost", 4, "CPQ licences 120k a year plus 400k implementation"),
            (
                "IT",
                "risk",
                3,
                "New SaaS tool with an ERP integration; standard contract and controls",
            ),
            (
                "m04",
                "feas",
                2,
                "Product rules must be modelled before go-live; big change "
                "for sales and the order desk",
            ),
            ("Sales", "rr", 5, "Same-day quotes win deals we lose today"),
            ("Customer", "ci", 4, "Quotes that match what we need, and faster"),
        ),
    ),
    Requirement(
        "REQ-019",
        "Error-free order bonus in sales commission",
        "Ten percent of sales commission is paid only for orders that go through without a "
        "correction after entry.",
        "Finance",
        ("Sales rep", "Sales manager"),
        "Order entry",
        "Corrections cost the order desk an estimated 1.3 FTE; reps are paid on booked "
        "revenue only",
        profile(
            ci=3, er=3.4, rr=2.6, legal=2, feas=4, cost=1, time=2.2, risk=1, effort=2.6, strat=3.2
        ),
        said=(
            (
                "Legal",
                "legal",
                2,
                "Pay changes need works-council consultation; no obligation to make this one",
            ),
            ("Finance", "cost", 1, "A change to the commission plan; no system cost"),
            ("IT", "risk", 1, "Uses correction data the ERP already logs"),
            ("m04", "feas", 4, "No process change for us; we already log corrections"),
            ("m03", "rr", 1, "Reps will avoid complex orders; that costs revenue"),
            (
                "HR",
                "effort",
                3,
                "Commission disputes land on HR; the plan needs works-council consultation",
            ),
        ),
        leanings=(
            ("Sales", "ci", -0.8),
            ("Sales", "strat", -1.0),
            ("Sales", "er", -0.6),
            ("Finance", "er", 0.8),
        ),
    ),
    Requirement(
        "REQ-020",
        "Monthly order-error dashboard by cause",
        "A monthly dashboard of corrected orders, credit notes and failed visits by cause, "
        "region and product family, built on existing ERP reports.",
        "Internal Audit",
        ("Process owner", "Sales manager", "Service manager"),
        "Reporting",
        "Error figures are compiled by hand once a quarter, about 3 days of work each time",
        profile(
            ci=2.4,
            er=3.2,
            rr=2.4,
            legal=1,
            feas=4.5,
            cost=1,
            time=1.8,
            risk=1,
            effort=1.8,
            strat=3.4,
        ),
        said=(
            ("Legal", "legal", 1, "No legal angle"),
            ("Finance", "cost", 1, "Built from existing ERP reports; a few days' work"),
            ("IT", "risk", 1, "Existing report data, existing audience"),
            ("m04", "feas", 4, "We already record the causes; someone must keep them clean"),
            ("Internal Audit", "er", 4, "Shows which causes to attack first"),
            ("Customer", "ci", 2, "Doesn't change anything for us directly"),
        ),
    ),
    Requirement(
        "REQ-021",
        "Reason codes on every credit note",
        "Every credit note carries a mandatory reason code (customer data, wrong product, "
        "missing service detail, specification, price, other) so that the cost of each error "
        "type can be traced.",
        "Finance",
        ("Billing clerk", "Finance controller"),
        "Billing",
        "146k of credit notes in Q3; 58% carry only a free-text reason such as 'goodwill'",
        profile(
            ci=2.4, er=2.8, rr=3, legal=2, feas=4, cost=1, time=1.4, risk=1, effort=2.4, strat=3
        ),
        said=(
            ("Legal", "legal", 2, "Helps explain credits in a VAT audit; no obligation"),
            ("Finance", "cost", 1, "A pick list in billing; under 5k"),
            ("IT", "risk", 1, "One coded field in billing"),
            ("m04", "feas", 4, "Billing clerks pick a code; one more click"),
            ("Internal Audit", "er", 3, "Doesn't prevent errors but finally shows what they cost"),
            ("Finance", "rr", 3, "Makes the 146k visible by cause"),
        ),
    ),
    Requirement(
        "REQ-022",
        "Nightly customer master sync from ERP to service tool",
        "Until one CRM exists, a nightly job copies customer, address and contact changes "
        "from the ERP to the service tool and flags conflicts for the service desk.",
        "Customer Service",
        ("Service agent", "Service planner"),
        "After-sales service",
        "Changes take 9 days on average to reach the service tool; 17 of 61 failed Q3 visits "
        "used an outdated address",
        profile(
            ci=3.4, er=3.6, rr=3, legal=2, feas=4, cost=2, time=2, risk=3, effort=1.8, strat=2.8
        ),
        said=(
            ("Legal", "legal", 2, "Keeps data accurate across systems; good practice"),
            ("Finance", "cost", 2, "Interface job about 25k; thrown away when the CRM comes"),
            ("IT", "risk", 3, "A new data flow between two systems with a service account"),
            ("m04", "feas", 4, "Runs at night; the service desk handles the conflict list"),
            ("Marketing", "strat", 2, "A stopgap; it doesn't move us toward one customer record"),
            ("Customer Service", "ci", 4, "Technicians get yesterday's address, not last month's"),
        ),
    ),
    Requirement(
        "REQ-023",
        "Credit check before a new customer's first order",
        "New business customers are checked with a credit agency before their first order is "
        "released; orders above the limit need prepayment or a finance approval.",
        "Finance",
        ("Order desk clerk", "Credit controller", "Sales rep"),
        "Customer onboarding",
        "Bad-debt write-offs of 210k in 2024, 70% from customers in their first year",
        profile(
            ci=2.4,
            er=2.4,
            rr=3.8,
            legal=2,
            feas=3.5,
            cost=2,
            time=1.6,
            risk=3,
            effort=2.8,
            strat=2.6,
        ),
        said=(
            (
                "Legal",
                "legal",
                2,
                "Allowed on legitimate interest for business customers; "
                "needs a line in the privacy notice",
            ),
            ("Finance", "cost", 2, "Credit agency subscription 12k a year plus set-up"),
            ("IT", "risk", 3, "Company data goes to an external credit agency"),
            ("m04", "feas", 3, "Adds a hold step and a queue for finance approvals"),
            ("Sales", "ci", 2, "New customers wait a day for their first order"),
            ("Finance", "rr", 5, "Would have avoided most of the 210k written off"),
        ),
        leanings=(("Sales", "rr", -1.0), ("Sales", "ci", -0.4), ("Finance", "rr", 0.8)),
    ),
    Requirement(
        "REQ-024",
        "Only Finance may change customer master data",
        "All changes to customer names, addresses and contacts go through a ticket to the "
        "finance master-data team; sales, service and the order desk lose their edit rights.",
        "Finance",
        ("Sales rep", "Service agent", "Order desk clerk", "Master-data clerk"),
        "Customer onboarding",
        "Customer records are edited by 140 users; 3 attempted frauds with changed bank "
        "details in 2024, none successful",
        profile(
            ci=1.4, er=2.2, rr=1.6, legal=2, feas=2, cost=1, time=1.4, risk=1, effort=4.4, strat=1.4
        ),
        said=(
            ("Legal", "legal", 2, "Bank-detail changes need control, but not a Finance-only rule"),
            ("Finance", "cost", 1, "A rights change only; no build cost"),
            ("IT", "risk", 1, "Fewer people with write access; lowers risk"),
            (
                "m04",
                "feas",
                2,
                "Every address change becomes a ticket; we can't fix a "
                "contact while the customer is on the phone",
            ),
            ("Customer Service", "ci", 1, "Customers would wait days for a phone number change"),
            (
                "Internal Audit",
                "er",
                3,
                "Control bank details only; the rest adds queues, not accuracy",
            ),
            ("Customer", "ci", 1, "We'd have to raise a request to change our own phone number"),
        ),
        leanings=(("Finance", "er", 1.2), ("Finance", "strat", 1.0)),
    ),
    Requirement(
        "REQ-025",
        "Site survey before ordering on-site services",
        "For new installations above 20k a technician surveys the site (power, network, "
        "mounting, access) before the order is placed; the survey report is attached to the "
        "order.",
        "Customer Service",
        ("Service technician", "Sales engineer", "Facilities manager"),
        "Quote",
        "14 of 61 failed Q3 visits found the site not ready; about 300 installations a year "
        "are above 20k",
        profile(
            ci=3.2, er=3.8, rr=2.8, legal=1, feas=2.5, cost=2, time=2, risk=1, effort=4, strat=3.2
        ),
        said=(
            ("Legal", "legal", 1, "No legal angle"),
            ("Finance", "cost", 2, "Set-up about 15k; survey time is billed on large jobs"),
            ("IT", "risk", 1, "A PDF attached to the order"),
            ("m04", "feas", 2, "Needs technician capacity we don't have: 300 extra visits a year"),
            ("Customer", "ci", 3, "Useful for big jobs, but one more appointment for us"),
            ("Sales", "effort", 4, "Adds a week before we can place the order"),
        ),
    ),
    Requirement(
        "REQ-026",
        "Mobile order-entry app for field sales",
        "A native mobile app lets field reps enter orders at the customer's site, offline, "
        "with the customer's data cached on the device.",
        "Sales",
        ("Field sales rep",),
        "Order entry",
        "Field reps enter about 35% of orders, usually the same evening from notes; no error "
        "type in the Q3 analysis is traced to that delay",
        profile(
            ci=2.6,
            er=2.2,
            rr=3.2,
            legal=1,
            feas=2.5,
            cost=4,
            time=3.6,
            risk=4,
            effort=2.6,
            strat=2.6,
        ),
        said=(
            ("Legal", "legal", 1, "No legal driver; a lost phone would be a notifiable breach"),
            ("Finance", "cost", 4, "Native apps for two platforms plus offline sync: about 380k"),
            (
                "IT",
                "risk",
                4,
                "Customer data cached on 45 phones; a lost device becomes a data breach",
            ),
            ("m04", "feas", 2, "Orders from the field arrive without the checks the desk does"),
            ("m02", "rr", 5, "Reps close at the customer's table instead of the next morning"),
            ("Internal Audit", "er", 2, "The same data typed on a smaller screen"),
        ),
        leanings=(("Sales", "ci", 1.0), ("Sales", "strat", 0.8), ("Sales", "effort", -0.8)),
    ),
    Requirement(
        "REQ-027",
        "Product training path for new sales reps",
        "New reps complete a product and service training path (product families, "
        "compatibility, service levels) with a short test before they may quote configurable "
        "systems.",
        "HR",
        ("Sales rep", "Sales engineer"),
        "Quote",
        "Reps in their first 6 months cause 41% of specification corrections while being 18% "
        "of the sales force",
        profile(ci=3, er=3.6, rr=2.8, legal=1, feas=3.5, cost=2, time=2, risk=1, effort=3, strat=3),
        said=(
            ("Legal", "legal", 1, "No legal angle"),
            ("Finance", "cost", 2, "E-learning content and trainer time: about 30k"),
            ("IT", "risk", 1, "Runs on the existing learning platform"),
            ("m04", "feas", 4, "No change for the order desk; fewer bad quotes arrive"),
            ("HR", "effort", 3, "Two days of training per new rep, about 12 new reps a year"),
        ),
    ),
    Requirement(
        "REQ-028",
        "Show the customer's installed base at order entry",
        "The order screen shows what the customer already has installed (products, "
        "firmware, contracts, service level) so that reps and clerks see what fits before "
        "adding a line.",
        "Sales",
        ("Sales rep", "Order desk clerk", "Sales engineer"),
        "Order entry",
        "Installed-base data sits in the service tool, which sales cannot see; 17 Q3 credit "
        "notes were for products that did not fit",
        profile(
            ci=4, er=4.2, rr=4.4, legal=1, feas=4, cost=3, time=2.8, risk=3, effort=1.8, strat=4.2
        ),
        said=(
            ("Legal", "legal", 1, "No legal driver"),
            ("Finance", "cost", 3, "Read interface from the service tool into the ERP: about 80k"),
            ("IT", "risk", 3, "New read interface between service tool and ERP"),
            ("m04", "feas", 4, "Clerks see it on the screen they already use"),
            ("Sales", "rr", 5, "Upsell what fits instead of crediting what doesn't"),
            ("Customer", "ci", 4, "The rep knows what we have without asking us again"),
        ),
    ),
)

# Remarks a member makes when nothing specific was said, keyed by criterion and the scores
# the remark fits ("45": a 4 or a 5). For cost criteria a high score means more cost, time,
# risk or effort; for benefit criteria a 1 means worse than today and a 2 means no effect.
REMARKS: dict[tuple[str, str], tuple[str, ...]] = {
    ("ci", "1"): (
        "Adds a wait customers will feel.",
        "Customers get one more step and nothing for it.",
        "Makes ordering slower for customers.",
        "Customers will see this as red tape.",
    ),
    ("ci", "2"): (
        "Customers would not notice this.",
        "No customer ever sees this.",
        "Internal matter; customers are unaffected.",
        "Nothing changes on the customer's side.",
    ),
    ("ci", "3"): (
        "Helps some customers on one journey, not most.",
        "A small improvement customers may notice.",
        "Some customers will notice; most won't.",
        "Helps the customers who order often; occasional ones won't notice.",
        "Indirect: customers feel it only through fewer mistakes.",
    ),
    ("ci", "45"): (
        "Customers get the right order the first time.",
        "Removes a pain customers raise in every account review.",
        "Fewer corrections after delivery; customers notice that.",
        "Goes at what customers complain about most.",
        "Fewer follow-up calls for customers.",
    ),
    ("er", "1"): (
        "More handling means more chances to get it wrong.",
        "Another hand-off, another chance to mistype.",
        "This would create errors, not remove them.",
    ),
    ("er", "2"): (
        "Doesn't touch the errors we actually see.",
        "Same errors, different place.",
        "Nothing here stops a wrong order.",
        "No error type in the Q3 analysis is addressed.",
    ),
    ("er", "3"): (
        "Catches one kind of error, not the others.",
        "Some errors caught, but only after entry.",
        "Finds errors later rather than preventing them.",
        "Prevents some errors, not the common ones.",
    ),
    ("er", "45"): (
        "Removes a whole class of corrections.",
        "Takes out one of the most common corrections we make.",
        "Fewer orders come back for correction.",
    ),
    ("rr", "1"): (
        "Slower orders could cost us the odd deal.",
        "Customers will take this as a reason to shop around.",
        "Costs selling time; that shows in the pipeline.",
    ),
    ("rr", "2"): (
        "No measurable effect on revenue.",
        "Won't change a single renewal.",
        "I can't link this to revenue or churn.",
    ),
    ("rr", "3"): (
        "Fewer credit notes; small but measurable.",
        "Saves a few credits a month.",
        "Might save a deal here and there.",
        "Some effect on credit notes, not on sales.",
        "Helps retention at the margin.",
    ),
    ("rr", "45"): (
        "Credit notes and lost renewals are the real cost here.",
        "Protects revenue on our largest accounts.",
        "Wrong orders are why customers leave; this keeps them.",
        "Fewer credit notes and fewer lost renewals.",
        "Our biggest accounts complained about exactly this.",
    ),
    ("time", "1"): (
        "Can be live within weeks.",
        "A configuration change; one sprint.",
        "Under a month if we start now.",
    ),
    ("time", "12"): ("Quick to deliver.",),
    ("time", "2"): ("A small change; one or two months at most.", "Two months including testing."),
    ("time", "3"): (
        "A quarter or so, with testing.",
        "Three to six months with the rollout.",
        "Needs testing with real orders; a few months.",
        "Half a year once training is included.",
    ),
    ("time", "45"): (
        "Realistically a year or more.",
        "Long project; other work competes for the same people.",
        "Well over six months before it is live everywhere.",
    ),
    ("effort", "1"): (
        "Saves people time once it's live.",
        "Less work than today, not more.",
        "Saves a few minutes here and there.",
    ),
    ("effort", "2"): (
        "No change to daily work.",
        "Daily work stays as it is.",
        "Neutral for the people doing the work.",
    ),
    ("effort", "3"): (
        "A few extra minutes a day for some roles.",
        "Extra work at first; it settles once people know it.",
        "Someone has to maintain it, but not a whole team.",
    ),
    ("effort", "45"): (
        "A whole team gets noticeable extra work.",
        "People will look for ways around this.",
        "Real extra work, every day, for someone.",
        "Heavy upkeep for whoever owns it.",
    ),
    ("strat", "1"): (
        "Runs against 'fewer handoffs'.",
        "Adds a handoff; the strategy says remove them.",
        "Works against 'customers before politics'.",
    ),
    ("strat", "2"): (
        "Unrelated to the strategy.",
        "Not in any of our strategic goals.",
        "Local fix; the strategy is about one view of the customer.",
    ),
    ("strat", "3"): (
        "Supports the strategy indirectly.",
        "Good housekeeping; not a strategic move.",
        "A step in the right direction, a small one.",
        "Fits the strategy, but won't move it.",
    ),
    ("strat", "45"): (
        "'Customers before politics' in practice.",
        "Advances several strategic goals at once.",
        "Fewer handoffs, as the strategy asks.",
        "Exactly the kind of change the strategy calls for.",
    ),
    ("feas", "12"): (
        "Needs a process redesign across teams.",
        "Operations doesn't have the people to run this.",
        "Several teams would have to change how they work.",
    ),
    ("feas", "3"): (
        "Feasible with process changes and training.",
        "Workable after a few weeks of training.",
        "Needs a new step in the process and someone to own it.",
    ),
    ("feas", "45"): (
        "Fits how the teams work today.",
        "A small adjustment to the current process.",
        "The teams could adopt this next month.",
    ),
    ("cost", "12"): (
        "Cheap compared with what the errors cost us.",
        "A small budget item.",
        "Fits in this year's budget.",
    ),
    ("cost", "3"): (
        "Mid-sized budget; needs a business case.",
        "Not cheap, but it pays back within two years.",
    ),
    ("cost", "45"): (
        "A big-ticket item; needs a proper budget.",
        "Expensive for what it does.",
        "That money would fund three smaller fixes.",
    ),
    ("legal", "12"): ("I know of no legal requirement here.", "Not a compliance topic."),
    ("legal", "3"): ("Some compliance benefit, not a requirement.",),
    ("legal", "45"): (
        "Auditors will ask for this sooner or later.",
        "Sounds like a compliance obligation to me.",
    ),
    ("risk", "12"): ("No new access to customer data.", "Data stays where it is today."),
    ("risk", "3"): ("A new interface, but a standard one.",),
    ("risk", "45"): (
        "Puts customer data in more hands.",
        "New outside access to customer data worries me.",
    ),
}

# Remarks in a department's own voice, offered alongside the general ones.
DEPARTMENT_REMARKS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("Customer Service", "ci", "45"): (
        "This is what callers complain about every week.",
        "Would take a real share of calls off the desk.",
        "Our complaint log points straight at this.",
    ),
    ("Customer Service", "ci", "2"): (
        "No caller has ever raised this.",
        "Doesn't change a single call we take.",
    ),
    ("Customer Service", "effort", "1"): ("Fewer callbacks for my agents.",),
    ("Customer Service", "effort", "45"): ("My agents would spend their calls on this.",),
    ("Customer", "ci", "45"): (
        "As a customer, this is the fix I'd pay for.",
        "We lose a morning every time this goes wrong.",
        "Our site team would notice the difference at once.",
    ),
    ("Customer", "ci", "3"): ("Nice to have; not what hurts us.",),
    ("Customer", "ci", "2"): ("We wouldn't see any difference.",),
    ("Customer", "ci", "1"): ("From our side this only adds delay.",),
    ("Customer", "er", "45"): ("Fewer surprises when the delivery arrives.",),
    ("Customer", "er", "2"): ("Doesn't fix what goes wrong on our orders.",),
    ("Customer", "rr", "45"): ("This is the kind of thing that decides our renewal.",),
    ("Customer", "rr", "12"): ("Wouldn't change whether we stay with you.",),
    ("Customer", "strat", "3"): ("Hard to judge your strategy from outside.",),
    ("Customer", "time", "45"): ("That is a long wait from where we sit.",),
    ("Customer", "effort", "45"): ("Sounds like more forms for us too.",),
    ("Sales", "ci", "45"): (
        "Customers would see faster, cleaner orders.",
        "My accounts would notice this at the next renewal.",
    ),
    ("Sales", "ci", "2"): ("Internal plumbing; customers won't notice.",),
    ("Sales", "ci", "1"): ("Customers feel the extra wait, not the benefit.",),
    ("Sales", "rr", "45"): (
        "Right orders, fast, win deals; I lost two to this last quarter.",
        "Key accounts renew when orders just work.",
        "This is revenue, not admin.",
    ),
    ("Sales", "rr", "3"): ("Helps renewals a bit; won't move the quarter.",),
    ("Sales", "rr", "2"): ("Nothing in it helps me close or renew.",),
    ("Sales", "rr", "1"): ("Slows deals down; some customers will go elsewhere.",),
    ("Sales", "effort", "45"): (
        "More admin for reps, less time with customers.",
        "Reps will have to chase customers for this.",
    ),
    ("Sales", "effort", "2"): ("Adds nothing to a rep's day.",),
    ("Marketing", "ci", "45"): ("Fits what customers told us in the last survey.",),
    ("Marketing", "ci", "2"): ("Nothing here shows up in the customer survey.",),
    ("Marketing", "er", "45"): ("Fewer wrong orders, fewer bad reviews.",),
    ("Marketing", "rr", "45"): ("Retention is where we lose most; this helps.",),
    ("Marketing", "rr", "2"): ("No campaign or renewal effect I can see.",),
    ("Marketing", "strat", "45"): ("Exactly the customer-first message we put out.",),
    ("Marketing", "strat", "2"): ("Nothing in the strategy asks for this.",),
    ("Internal Audit", "er", "45"): (
        "A preventive control beats our detective checks.",
        "A control at the source; our findings point here.",
        "Would have prevented most findings of the last order audit.",
    ),
    ("Internal Audit", "er", "3"): ("Detective, not preventive; still worth something.",),
    ("Internal Audit", "er", "2"): ("No control value: it checks nothing that goes wrong.",),
    ("Internal Audit", "er", "12"): ("Adds steps without testing anything.",),
    ("Internal Audit", "legal", "45"): ("Our audit plan already covers this area.",),
    ("Internal Audit", "strat", "45"): ("Fewer handoffs also means fewer control gaps.",),
    ("Internal Audit", "effort", "45"): ("Controls nobody can keep up with get skipped.",),
    ("Operations", "er", "45"): (
        "My team corrects exactly these errors every day.",
        "Fewer orders bounce back from the warehouse.",
    ),
    ("Operations", "er", "2"): ("None of our corrections would go away.",),
    ("Operations", "effort", "1"): (
        "My clerks stop chasing missing details by phone.",
        "Less rework on the order desk.",
    ),
    ("Operations", "effort", "45"): ("The order desk would need more people for this.",),
    ("Operations", "strat", "45"): ("Fewer handoffs between sales and the order desk.",),
    ("Operations", "feas", "45"): ("My team can run this with what we have.",),
    ("Operations", "feas", "3"): ("Workable with training and a clear owner.",),
    ("Operations", "feas", "12"): ("We'd have to reorganise the desk for this.",),
    ("Finance", "er", "45"): ("Fewer credit notes to approve each month.",),
    ("Finance", "er", "2"): ("I don't see it in the correction figures.",),
    ("Finance", "rr", "45"): ("Credit notes would drop visibly in the monthly figures.",),
    ("Finance", "rr", "3"): ("A few thousand in credit notes a quarter, at best.",),
    ("Finance", "rr", "2"): ("I can't see it in any revenue or credit figure.",),
    ("Finance", "time", "45"): ("Spend runs over two budget years.",),
    ("Finance", "effort", "45"): ("Ongoing staff cost we haven't budgeted.",),
    ("IT", "time", "45"): (
        "Integration testing alone takes months.",
        "Our release calendar is full until spring.",
    ),
    ("IT", "time", "3"): ("One release cycle plus testing, about a quarter.",),
    ("IT", "time", "1"): ("Fits into the next monthly release.",),
    ("IT", "strat", "45"): ("Fits the target architecture.",),
    ("IT", "strat", "12"): ("Adds to a system landscape we are trying to shrink.",),
    ("IT", "cost", "45"): ("Integration and testing will cost more than the estimate says.",),
    ("Legal", "ci", "45"): ("Fewer disputes about what was agreed.",),
    ("Legal", "risk", "45"): ("Needs a processing agreement and an impact assessment.",),
    ("Legal", "risk", "12"): ("No new processing of personal data.",),
    ("HR", "effort", "45"): (
        "Workload goes up for a team already at capacity.",
        "Will show up in overtime and sick days.",
    ),
    ("HR", "effort", "3"): ("Manageable with a short training.",),
    ("HR", "effort", "1"): ("Takes frustrating rework out of people's day.",),
    ("HR", "strat", "45"): ("Clearer roles and fewer handoffs; people like that.",),
}

# Remarks that only fit some requirements, by theme: "check" (a check or block at entry),
# "bought" (a bought tool or service), "one-view" (one customer record), "service"
# (installation and service visits), "product" (what is sold and its specification),
# "rollout" (a large build and rollout), "per-order" (changes a step of every order).
THEMED_REMARKS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("check", "er", "3"): ("Helps, but people can still override it.",),
    ("check", "er", "45"): (
        "Stops the error before the order is saved.",
        "The check happens where the mistake is made.",
    ),
    ("check", "effort", "3"): ("Clerks will need a minute for the odd rejected entry.",),
    ("bought", "time", "45"): ("Procurement alone will take a quarter.",),
    ("bought", "cost", "45"): ("The licence is the small part; integration is the cost.",),
    ("one-view", "ci", "45"): ("Customers stop repeating the same details to us.",),
    ("one-view", "strat", "45"): (
        "Directly serves one view of the customer.",
        "One record per customer is what agents need.",
    ),
    ("service", "ci", "3"): ("Customers with service contracts would notice; others won't.",),
    ("service", "er", "45"): ("Fewer wrong details reach the technicians.",),
    ("service", "rr", "45"): ("Customers who cancel are the ones with failed visits behind them.",),
    ("product", "er", "45"): ("Fewer parts that don't fit the customer's system.",),
    ("product", "ci", "45"): ("Customers get equipment that fits what they have.",),
    ("rollout", "time", "45"): (
        "Rollout region by region; well over six months.",
        "Design, build, test and train: easily over six months.",
    ),
    ("rollout", "effort", "3"): ("Retraining first, then it should settle.",),
    ("per-order", "effort", "1"): (
        "Less rework for everyone.",
        "Fewer phone calls to chase details.",
    ),
    ("per-order", "effort", "3"): ("Some extra clicks on complex orders.",),
    ("per-order", "effort", "45"): (
        "Extra steps on every single order.",
        "Adds waiting and chasing to every order.",
    ),
}

# The themes each requirement touches; a requirement not listed gets no themed remark.
THEMES: dict[str, tuple[str, ...]] = {
    "REQ-001": ("check", "per-order"),
    "REQ-002": ("check", "bought", "product", "rollout"),
    "REQ-003": ("one-view", "bought", "rollout"),
    "REQ-005": ("per-order",),
    "REQ-007": ("check", "bought", "service", "per-order"),
    "REQ-008": ("check", "bought", "product"),
    "REQ-009": ("check", "service", "per-order"),
    "REQ-010": ("check", "product", "per-order"),
    "REQ-011": ("check", "one-view"),
    "REQ-012": ("rollout",),
    "REQ-013": ("bought", "rollout"),
    "REQ-015": ("per-order",),
    "REQ-016": ("check", "service", "product", "per-order"),
    "REQ-017": ("one-view", "bought", "service", "rollout"),
    "REQ-018": ("check", "bought", "product", "rollout"),
    "REQ-022": ("one-view", "service"),
    "REQ-023": ("check", "bought"),
    "REQ-024": ("per-order",),
    "REQ-025": ("service",),
    "REQ-026": ("rollout",),
    "REQ-027": ("product",),
    "REQ-028": ("one-view", "product", "service"),
}


# One-off estimates: cost in EUR (within the band of the Finance owners' implementation
# cost score: 1 under 10k, 2 10k-50k, 3 50k-200k, 4 200k-1M, 5 over 1M) and effort in
# person-days to build and roll out (ongoing effort is the employee effort criterion).
# Relations: the CPQ tool applies the catalogue and the compatibility rules, which check
# against the installed base; the customer confirms the service details the checklist
# collects; the nightly sync only bridges until one CRM exists (one or the other); customers
# editing their own data in a portal contradicts Finance alone changing master data.
ESTIMATES: dict[str, tuple[int, int, str, str, str]] = {
    # id: (cost, effort, requires, excludes, alternatives)
    "REQ-001": (28_000, 35, "", "", ""),
    "REQ-002": (320_000, 380, "", "", ""),
    "REQ-003": (1_450_000, 1_900, "", "", "customer data in one place"),
    "REQ-004": (3_500, 5, "", "", ""),
    "REQ-005": (6_000, 8, "", "", ""),
    "REQ-006": (42_000, 55, "", "", ""),
    "REQ-007": (36_000, 30, "", "", ""),
    "REQ-008": (150_000, 190, "REQ-028", "", ""),
    "REQ-009": (8_500, 12, "", "", ""),
    "REQ-010": (45_000, 70, "", "", ""),
    "REQ-011": (38_000, 50, "", "", ""),
    "REQ-012": (560_000, 720, "", "", ""),
    "REQ-013": (480_000, 600, "", "", ""),
    "REQ-014": (240_000, 300, "", "", ""),
    "REQ-015": (24_000, 40, "", "", ""),
    "REQ-016": (46_000, 60, "REQ-009", "", ""),
    "REQ-017": (290_000, 350, "", "REQ-024", ""),
    "REQ-018": (410_000, 450, "REQ-002;REQ-008", "", ""),
    "REQ-019": (5_000, 6, "", "", ""),
    "REQ-020": (9_000, 12, "", "", ""),
    "REQ-021": (4_000, 5, "", "", ""),
    "REQ-022": (22_000, 28, "", "", "customer data in one place"),
    "REQ-023": (18_000, 20, "", "", ""),
    "REQ-024": (7_500, 10, "", "", ""),
    "REQ-025": (35_000, 45, "", "", ""),
    "REQ-026": (260_000, 340, "", "", ""),
    "REQ-027": (30_000, 40, "", "", ""),
    "REQ-028": (85_000, 110, "", "", ""),
}


def load_criteria() -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Criterion ids in file order, and each criterion's owning departments."""
    data: dict[str, Any] = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))
    ids = [str(c["id"]) for c in data["criteria"]]
    owners = {str(c["id"]): tuple(str(d) for d in c.get("owners") or ()) for c in data["criteria"]}
    return ids, owners


def half_up(x: float) -> int:
    """Round half up (Python's round() rounds half to even)."""
    return math.floor(x + 0.5)


def resolve(who: str, scorers: tuple[Member, ...]) -> str:
    """A member id, or a department name standing for its first scoring member."""
    for member in scorers:
        if who in (member.id, member.department):
            return member.id
    raise ValueError(f"no scoring member or department {who!r}")


def leaning(member: Member, alias: str, requirement: Requirement) -> float:
    shift = DEPARTMENT_LEANINGS.get(member.department, {}).get(alias, 0.0)
    for department, lean_alias, extra in requirement.leanings:
        if department == member.department and lean_alias == alias:
            shift += extra
    return shift


def apportion(raw: dict[str, float], total: int, low: int, high: int) -> dict[str, int]:
    """Integers in [low, high], as close to ``raw`` as possible, summing to ``total``."""
    scores = {m: min(high, max(low, half_up(x))) for m, x in raw.items()}
    while (gap := total - sum(scores.values())) != 0:
        if gap > 0:
            candidates = [m for m in scores if scores[m] < high]
            pick = max(candidates, key=lambda m: raw[m] - scores[m])
            scores[pick] += 1
        else:
            candidates = [m for m in scores if scores[m] > low]
            pick = max(candidates, key=lambda m: scores[m] - raw[m])
            scores[pick] -= 1
    return scores


def remark(
    member: Member,
    alias: str,
    themes: tuple[str, ...],
    score: int,
    chance: float,
    used: set[tuple[str, str]],
    taken: set[str],
    rng: random.Random,
) -> str:
    """A reason fitting the score, or "" (not every score is explained).

    A member never repeats a remark word for word, and two members never make the same
    remark on the same requirement and criterion (``taken``).
    """
    fits = str(score)
    options = [
        text
        for (department, key, scores), texts in DEPARTMENT_REMARKS.items()
        if department == member.department and key == alias and fits in scores
        for text in texts
    ]
    options += [
        text
        for (key, scores), texts in REMARKS.items()
        if key == alias and fits in scores
        for text in texts
    ]
    options += [
        text
        for (theme, key, scores), texts in THEMED_REMARKS.items()
        if theme in themes and key == alias and fits in scores
        for text in texts
    ]
    fresh = [text for text in options if (member.id, text) not in used and text not in taken]
    if not fresh or rng.random() >= chance:
        return ""
    text = rng.choice(fresh)
    used.add((member.id, text))
    taken.add(text)
    return text


def soften_camps(
    scores: dict[str, int], group: list[str], movable: list[str], raw: dict[str, float]
) -> None:
    """Outside the polarised item the council disagrees but does not split into camps.

    While two or more of ``group`` score 2 or less and two or more score 4 or more, the
    movable low scorer and the movable high scorer closest to moving step one point toward
    each other; the group's sum, hence its mean, is unchanged.
    """
    while True:
        lows = [m for m in movable if scores[m] <= 2]
        highs = [m for m in movable if scores[m] >= 4]
        if (
            sum(scores[m] <= 2 for m in group) < 2
            or sum(scores[m] >= 4 for m in group) < 2
            or not lows
            or not highs
        ):
            return
        scores[max(lows, key=lambda m: raw[m] - scores[m])] += 1
        scores[max(highs, key=lambda m: scores[m] - raw[m])] -= 1


def score_criterion(
    requirement: Requirement,
    criterion: str,
    alias: str,
    counted: list[str],
    scorers: tuple[Member, ...],
    rng: random.Random,
) -> tuple[dict[str, int], dict[str, str]]:
    """Every scorer's score on one criterion, and the reasons said in the room."""
    target = requirement.profile[criterion]
    # The bottom of a scale means "worse than today" (or "saves time" for effort): only
    # where the panel is near it does anyone go that low.
    floor = 1 if target < 2 else 2
    said = {
        resolve(who, scorers): (score, reason)
        for who, said_alias, score, reason in requirement.said
        if said_alias == alias
    }
    scores = {m: score for m, (score, _) in said.items()}
    raw = {m.id: target + leaning(m, alias, requirement) for m in scorers}
    free = [m for m in counted if m not in said]
    remaining = half_up(target * len(counted)) - sum(scores[m] for m in counted if m in said)
    if free:
        free_target = remaining / len(free)
        centre = sum(raw[m] for m in free) / len(free) - free_target
        raw |= {m: raw[m] - centre + rng.uniform(-NOISE, NOISE) for m in free}
        middle = half_up(free_target)
        low, high = max(floor, middle - 1), min(5, middle + 1)
        pinned = [scores[m] for m in counted if m in said]
        if pinned:  # nobody strays more than two points from what was said in the room
            low, high = max(low, max(pinned) - 2), min(high, min(pinned) + 2)
        if not low * len(free) <= remaining <= high * len(free):
            raise ValueError(
                f"{requirement.id} {criterion}: the said scores cannot give the "
                f"profile mean {target}"
            )
        scores |= apportion({m: raw[m] for m in free}, remaining, low, high)
        soften_camps(scores, counted, free, raw)
    elif remaining != 0:
        raise ValueError(
            f"{requirement.id} {criterion}: the said scores give another mean "
            f"than the profile's {target}"
        )
    # Advisory scores (a non-owner on an owned criterion) do not count; they only lean.
    advisory = [m.id for m in scorers if m.id not in scores]
    middle = half_up(target)
    for m in advisory:
        raw[m] += rng.uniform(-NOISE, NOISE)
        scores[m] = min(middle + 1, 5, max(middle - 1, floor, half_up(raw[m])))
    soften_camps(scores, [m.id for m in scorers], advisory, raw)
    return scores, {m: reason for m, (_, reason) in said.items()}


def score_requirement(
    requirement: Requirement,
    criteria: list[str],
    owners: dict[str, tuple[str, ...]],
    scorers: tuple[Member, ...],
    used: set[tuple[str, str]],
) -> list[ScoreRow]:
    """All scores of one requirement, member by member, in criteria-file order."""
    # Separate streams, so that editing the remarks never changes a score.
    score_rng = random.Random(f"{SEED}/{requirement.id}/scores")
    reason_rng = random.Random(f"{SEED}/{requirement.id}/reasons")
    alias_of = {criterion: alias for alias, criterion in ALIASES.items()}
    rows: dict[tuple[str, str], ScoreRow] = {}
    for criterion in criteria:
        alias = alias_of[criterion]
        counted = [
            m.id for m in scorers if not owners[criterion] or m.department in owners[criterion]
        ]
        scores, said = score_criterion(requirement, criterion, alias, counted, scorers, score_rng)
        mean = sum(scores[m] for m in counted) / len(counted)
        taken = set(said.values())
        for member in scorers:
            score = scores[member.id]
            if member.id in said:
                reason = said[member.id]
            else:
                if member.id not in counted:
                    chance = P_EXPLAIN_ADVISORY
                elif abs(score - mean) >= 1:
                    chance = P_EXPLAIN_OFF
                else:
                    chance = P_EXPLAIN_ON
                reason = remark(
                    member,
                    alias,
                    THEMES.get(requirement.id, ()),
                    score,
                    chance,
                    used,
                    taken,
                    reason_rng,
                )
            rows[(member.id, criterion)] = ScoreRow(
                requirement.id, member.id, criterion, score, reason
            )
    return [rows[(m.id, c)] for m in scorers for c in criteria]


def write_csv(path: Path, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    criteria, owners = load_criteria()
    if set(criteria) != set(ALIASES.values()):
        raise ValueError(f"{CRITERIA_FILE} no longer has the criteria this example scores")
    if list(ESTIMATES) != [r.id for r in REQUIREMENTS]:
        raise ValueError("every requirement needs its estimates, in the same order")
    scorers = tuple(m for m in MEMBERS if m.role != "observer")
    used: set[tuple[str, str]] = set()
    scores = [
        row for r in REQUIREMENTS for row in score_requirement(r, criteria, owners, scorers, used)
    ]
    write_csv(
        HERE / "requirements.csv",
        (
            "id",
            "title",
            "description",
            "requested_by",
            "personas",
            "scenario",
            "evidence",
            "status",
            "cost",
            "effort",
            "requires",
            "excludes",
            "alternatives",
        ),
        [
            (
                r.id,
                r.title,
                r.description,
                r.requested_by,
                ";".join(r.personas),
                r.scenario,
                r.evidence,
                "proposed",
                *ESTIMATES[r.id],
            )
            for r in REQUIREMENTS
        ],
    )
    write_csv(
        HERE / "members.csv",
        ("id", "name", "department", "role"),
        [(m.id, m.name, m.department, m.role) for m in MEMBERS],
    )
    write_csv(
        HERE / "scores.csv",
        ("requirement_id", "member", "criterion", "score", "reason"),
        [(s.requirement_id, s.member, s.criterion, s.score, s.reason) for s in scores],
    )


if __name__ == "__main__":
    main()
