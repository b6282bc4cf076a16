"""The Corporate Parenting Panel's themes: how the scorecard, the web pages, the pack and the CLI group measures.

Each measure names its theme once, in its catalogue declaration (``Measure.theme``); this module
declares the themes themselves, in the order a Panel reads them, each with a short "what this
means" for members and the question members should ask when a measure in it is poor.  Every
renderer takes the order and the words from here, so the web scorecard, the PDF pack and
``careboard scorecard`` group the same measures under the same headings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    name: str
    meaning: str  # "what this means": one or two plain sentences for members
    question: str  # the question to ask when a measure in this theme is in the worst quarter or got worse


THEMES: tuple[Theme, ...] = (
    Theme(
        "Numbers and flow",
        "How many children we look after, how many come into care and leave it each year, and how long they "
        "stay. These are counts and rates, not good or bad in themselves: a rise can mean more need, or that "
        "children are being kept safe who were not before.",
        "What is driving this, and do we have the right homes and support for the children coming into care?",
    ),
    Theme(
        "Stability",
        "Whether children can stay in one home and keep the same social worker. Moves and changes of worker "
        "break the relationships children rely on; fewer moves and longer stable placements are better.",
        "What is making children move, and what support do carers and social workers get to keep children "
        "settled?",
    ),
    Theme(
        "Where children live",
        "The kinds of homes our children live in on 31 March, and how many live far from home. Most children "
        "do best in a family, close to their school and the people they know.",
        "Do we have enough homes close to where children come from, and what is the plan to find more?",
    ),
    Theme(
        "Health",
        "Whether children who have been in our care for a year have had the health and dental checks, "
        "immunisations and emotional wellbeing checks every child should have.",
        "Which children are missing out, why, and what are our health partners doing about it?",
    ),
    Theme(
        "Education and outcomes",
        "How children in our care, and children in need, are doing beyond their care: offending and substance "
        "misuse from the council's returns; school results, attendance, suspensions and special educational "
        "needs as the Department for Education published them (marked \"published only\": the DfE matches "
        "school records to the returns, which the council cannot), for an academic year, a year or two later.",
        "What are we doing, with the virtual school, youth justice and health partners, to give these children "
        "the same chances as their classmates?",
    ),
    Theme(
        "Missing and away",
        "Children who went missing from their placement or were away without permission, how often, and "
        "whether they were offered a return home interview afterwards.",
        "What do return home interviews tell us, and what is being done to keep these children safe?",
    ),
    Theme(
        "Reviews and timeliness",
        "Whether things happen when they should: each child's care reviewed on time and with the child taking "
        "part, and how long children wait to be adopted.",
        "Why are some reviews late or held without the child's voice, and where are the delays for children "
        "waiting to be adopted?",
    ),
    Theme(
        "Independent reviewing officers",
        "The officers who chair each child's reviews and check the care plan is working: how many children "
        "each one has (the IRO Handbook suggests 50 to 70), whether a child keeps the same IRO, and whether "
        "any child is waiting for one.",
        "Do our IROs have time to know each child, and what happens when a child's IRO changes?",
    ),
    Theme(
        "Social work workforce",
        "The social workers who work with our children, from the children's social work workforce census "
        "and the returns: how often a child's social worker changes, caseloads, vacancies, agency staff and "
        "experience. These figures count staff, not children.",
        "What is being done to keep social workers, so that children do not keep having to start again?",
    ),
    Theme(
        "Adoption and permanence",
        "How children leave care for a permanent home: adoption, special guardianship, a child arrangements "
        "order, or a return to their family.",
        "Are children finding permanent homes as early as they could, and do families get the support they "
        "need after the order?",
    ),
    Theme(
        "Care leavers",
        "Young people who have left our care, at 17 to 18 and 19 to 21: whether we are in touch, whether they "
        "are in education, work or training, and whether they live somewhere suitable.",
        "As corporate parents, what are we doing to stay in touch with care leavers and help them into "
        "education, work and a safe home?",
    ),
    Theme(
        "Children in need and child protection",
        "The front door to children's social care: referrals, assessments, section 47 enquiries and child "
        "protection plans, from the children in need census. Repeat referrals and repeat plans suggest that "
        "earlier work did not last.",
        "Why are children being referred again, or put on a plan again, so soon, and was the first piece of "
        "work finished?",
    ),
)

BY_NAME: dict[str, Theme] = {t.name: t for t in THEMES}
DEFAULT_QUESTION = "What is the plan to improve this, and when will members see a difference?"


def theme(name: str) -> Theme | None:
    """The declared theme called ``name`` (None for a name no theme has)."""
    return BY_NAME.get(name)


def order(name: str) -> int:
    """A theme's place in the Panel's reading order (themes not declared here come last)."""
    names = [t.name for t in THEMES]
    return names.index(name) if name in names else len(names)


def question(name: str) -> str:
    found = BY_NAME.get(name)
    return found.question if found else DEFAULT_QUESTION
