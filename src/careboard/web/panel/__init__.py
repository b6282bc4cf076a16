"""The Panel's business on the web: meetings, questions, actions, the score-sheet, challenge cards and
inspection action plans (the business itself: careboard/panel).

Every page is for signed-in users; what each may change is the capability its route declares
(careboard/roles.py).  Forms post back to themselves with the CSRF token; a text refused by the
screen (careboard/panel/screen.py) comes back with the reason and the identifying parts removed.
"""

from fastapi import APIRouter

from careboard.web.panel import actions, cards, home, meetings, plans, questions, scores

router = APIRouter()
for _module in (home, meetings, questions, actions, scores, cards, plans):
    router.include_router(_module.router)
